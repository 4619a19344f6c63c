// Command hjt212driver times teafull/hjt212 decoding a corpus of HJ 212 packets.
//
// Our own driver (issue 11, benchmark 1); only the peer's public API is called. It reads
// a file of one packet per line (no "\r\n", as ../shared/data/hj212/packets.txt), appends
// the "\r\n" terminator before timing, then times in-process one pass that, per packet,
// does what ecoplan's decode does: frame check ("##", 4-digit length = segment length,
// "\r\n"), CRC verify, header fields and the CP data area split into key/value fields.
//
// Modes:
//
//	decoder  the peer's own HjtDecoder.Decoder (it prints every CP to stdout, so stdout
//	         goes to /dev/null while timing; that write is part of the peer's decode)
//	parts    the same steps from the peer's parts (VerifyCrc, ExtractDataByHeadAndTail)
//	         without the print: the peer's best case, the figure compared against
//
// It prints one JSON line: mode, frames, accepted, rejected, fields, seconds (wall and
// CPU of the loop) and frames/s.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/teafull/hjt212/protocol"
)

type result struct {
	Mode         string  `json:"mode"`
	Frames       int     `json:"frames"`
	Accepted     int     `json:"accepted"`
	Rejected     int     `json:"rejected"`
	Fields       int     `json:"fields"`
	Seconds      float64 `json:"seconds"`
	CPUSeconds   float64 `json:"cpu_seconds"`
	FramesPerSec float64 `json:"frames_per_s"`
	FramesPerCPU float64 `json:"frames_per_cpu_s"`
}

var (
	head   = []byte("##")
	tail   = []byte("\r\n")
	semi   = []byte(";")
	comma  = []byte(",")
	equals = []byte("=")
)

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// decodeParts mirrors HjtDecoder.Decoder step by step (minus its fmt.Println); it returns
// the fields found, or -1 when the packet is rejected.
func decodeParts(pkt []byte) (n int) {
	defer func() {
		if recover() != nil { // the peer's decoder recovers from a panic and reports no error
			n = 0
		}
	}()
	if len(pkt) < 12 {
		return -1
	}
	length, _ := strconv.Atoi(string(pkt[2:6]))
	segment := pkt[6 : len(pkt)-6]
	sent, _ := strconv.ParseUint(string(pkt[len(pkt)-6:len(pkt)-2]), 16, 0)
	crcOK, _ := protocol.VerifyCrc(segment, uint(sent))
	if !bytes.Equal(pkt[:2], head) || !bytes.Equal(pkt[len(pkt)-2:], tail) || length != len(segment) || !crcOK {
		return -1
	}
	var p protocol.Hjt212Package
	p.QN = protocol.ExtractDataByHeadAndTail(segment, []byte("QN="), semi)
	p.ST, _ = strconv.Atoi(string(protocol.ExtractDataByHeadAndTail(segment, []byte("ST="), semi)))
	p.CN, _ = strconv.Atoi(string(protocol.ExtractDataByHeadAndTail(segment, []byte("CN="), semi)))
	p.PW = protocol.ExtractDataByHeadAndTail(segment, []byte("PW="), semi)
	p.MN = protocol.ExtractDataByHeadAndTail(segment, []byte("MN="), semi)
	p.Flag, _ = strconv.Atoi(string(protocol.ExtractDataByHeadAndTail(segment, []byte("Flag="), semi)))
	cp := protocol.ExtractDataByHeadAndTail(segment, []byte("CP=&&"), []byte("&&"))
	fields := make(map[string]string)
	for _, item := range bytes.Split(cp, semi) {
		if len(item) == 0 {
			continue
		}
		for _, pair := range bytes.Split(item, comma) {
			if len(pair) == 0 {
				continue
			}
			at := bytes.Index(pair, equals)
			fields[string(pair[:at])] = string(pair[at+1:])
		}
	}
	if p.ST < 0 || p.CN < 0 || len(p.MN)+len(p.PW)+len(p.QN) < 0 {
		return 0
	}
	return len(fields)
}

func main() {
	corpus := flag.String("corpus", "", "file of packets, one per line")
	mode := flag.String("mode", "parts", "parts | decoder")
	flag.Parse()
	data, err := os.ReadFile(*corpus)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var packets [][]byte
	for _, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			continue
		}
		pkt := make([]byte, 0, len(line)+2)
		packets = append(packets, append(append(pkt, line...), tail...))
	}
	res := result{Mode: *mode, Frames: len(packets)}
	stdout := os.Stdout
	if *mode == "decoder" {
		devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		os.Stdout = devnull
	}
	dec := &protocol.HjtDecoder{}
	cpu0, t0 := cpuSeconds(), time.Now()
	switch *mode {
	case "parts":
		for _, pkt := range packets {
			if n := decodeParts(pkt); n < 0 {
				res.Rejected++
			} else {
				res.Accepted++
				res.Fields += n
			}
		}
	case "decoder":
		for _, pkt := range packets {
			p, err := dec.Decoder(pkt)
			if err != nil {
				res.Rejected++
			} else {
				res.Accepted++
				for _, m := range p.Package {
					res.Fields += len(m)
				}
			}
		}
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", *mode)
		os.Exit(2)
	}
	res.Seconds = time.Since(t0).Seconds()
	res.CPUSeconds = cpuSeconds() - cpu0
	os.Stdout = stdout
	res.FramesPerSec = float64(res.Frames) / res.Seconds
	if res.CPUSeconds > 0 {
		res.FramesPerCPU = float64(res.Frames) / res.CPUSeconds
	}
	out, _ := json.Marshal(res)
	fmt.Println(string(out))
}
