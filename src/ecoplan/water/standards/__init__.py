"""Water standards and evaluation methods, one module per standard and edition.

Pure functions, no I/O; every rule cites its clause and carries a confidence label
(``docs/water-rules.md`` lists them all, confirmed vs documented option):

- :mod:`.gb3838_2002` — GB 3838—2002 Table 1, single-item and single-factor classes;
- :mod:`.evaluation_2011` — 《地表水环境质量评价办法（试行）》(环办〔2011〕22号):
  evaluation items, main pollutants, qualitative grades, river/basin grading;
- :mod:`.evaluation_2011_river` — the same method's river main pollutants (断面超标率);
- :mod:`.drinking_source` — GB 3838—2002 Tables 2 and 3 and the drinking-water source
  attainment rule and rates;
- :mod:`.tli` — lake/reservoir trophic state TLI(Σ);
- :mod:`.black_odorous` — urban black and odorous water (城市黑臭水体整治工作指南);
- :mod:`.gb14848_2017` — groundwater GB/T 14848—2017 classes Ⅰ–Ⅴ;
- :mod:`.gb3097_1997` — sea water GB 3097—1997 classes 第一类–劣四类.
"""
