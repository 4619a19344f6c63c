"""Surface water: GB 3838—2002 (class limits), 环办〔2011〕22号 (evaluation method).

One module per standard and edition: :mod:`.gb3838_2002` holds Table 1 and the
single-item and single-factor classes; :mod:`.evaluation_2011` the evaluation items,
main pollutants, qualitative grades and the river/basin grading of
《地表水环境质量评价办法（试行）》. Pure functions, no I/O.
"""
