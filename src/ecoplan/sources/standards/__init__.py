"""Pure rules of the sources domain, each citing its clause: Annex D conversions and the
折算 concentration (:mod:`.conversion`), data flags and period validity
(:mod:`.validity`), exceedance (:mod:`.exceedance`), abnormal-data alarms
(:mod:`.alarms`, ecoplan's own rules) and yellow/red cards (:mod:`.cards`)."""
