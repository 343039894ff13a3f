# Mutuparc: `make demo` runs the product on SQLite, `make test` runs the whole test suite.
# Both install what they need: a virtualenv with the Python packages, Debian packages when root.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Real components the tests drive (see tests/README.md).
DEB_TEST_PACKAGES := postgresql fusioninventory-agent snmpd snmp python3-venv python3-gdbm fonts-dejavu-core poppler-utils chromium openssh-server libcpanel-json-xs-perl libxml-libxml-perl libdata-uuid-perl libdatetime-perl libuniversal-require-perl libwww-perl libnet-ip-perl libfile-which-perl libtext-template-perl libyaml-tiny-perl dmidecode pciutils usbutils hdparm
# snmpsim (the SNMP device simulator) needs a Python with dbm: Debian's, in its own virtualenv.
SNMPSIM_VENV := .venv-snmpsim
SNMPSIM_VERSION := 1.2.2

.PHONY: demo test venv snmpsim deb-test lint format bench dist clean translations

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

deb-test:
	scripts/ensure-debian-packages.sh $(DEB_TEST_PACKAGES)

snmpsim: $(SNMPSIM_VENV)/.installed

$(SNMPSIM_VENV)/.installed:
	scripts/make-snmpsim-venv.sh $(SNMPSIM_VENV) $(SNMPSIM_VERSION)

demo: venv
	scripts/ensure-debian-packages.sh python3-venv python3-gdbm
	$(MAKE) --no-print-directory snmpsim || echo "warning: no SNMP simulator: the demo polls no network device" >&2
	$(BIN)/python scripts/demo.py

test: venv deb-test snmpsim
	scripts/run-tests.sh

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: venv snmpsim
	scripts/ensure-debian-packages.sh postgresql wrk snmpd snmp
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/snmp.py
	$(BIN)/python bench/allocation.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/xlsx.py
	$(BIN)/python bench/ssh.py
	$(BIN)/python bench/agent.py
	$(BIN)/python bench/fuzz_ingest.py
	$(BIN)/python bench/load.py

# After editing server/locale/<lang>/LC_MESSAGES/mutuparc.po: compile the catalogues the server reads.
translations: venv
	$(BIN)/pybabel compile --domain mutuparc --directory server/locale --statistics

# The wheel (and source archive) the Ansible roles and `pip install` take: dist/mutuparc-*.whl
dist: venv
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	rm -rf build mutuparc.egg-info

clean:
	rm -rf $(VENV) $(SNMPSIM_VENV) var dist build .pytest_cache .ruff_cache
