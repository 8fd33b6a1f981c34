# Two commands on a fresh machine:
#   make lab   - install into .venv, copy the lessons to my_lessons/, open JupyterLab
#   make test  - install into .venv with the test extra, run every test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
LESSONS_DIR ?= my_lessons
NBVAL := --nbval --nbval-current-env --nbval-cell-timeout=120 --nbval-sanitize-with nbval_sanitize.cfg
# No network in tests: only loopback (the kernels nbval starts talk over it).
NOSOCKET := --disable-socket --allow-unix-socket --allow-hosts=127.0.0.1,localhost,::1

.PHONY: lab test bench lessons notebooks dictionary guide lint check-python clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
	  echo "treatylib needs Python 3.11 or newer as '$(PYTHON)' (set PYTHON=... to choose another)."; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  echo "Python's venv/ensurepip module is missing. On Debian/Ubuntu run: sudo apt install python3-venv make"; exit 1; }

# uv installs a JupyterLab environment in seconds rather than a minute; --compile-bytecode
# because PYTHONDONTWRITEBYTECODE may be set, and a venv without .pyc files starts slowly;
# --excludes leaves out rfc3987-syntax, which slows every kernel start (see the file).
$(VENV)/.installed: pyproject.toml requirements/excludes.txt | check-python
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv
	$(UV) pip install --quiet --python $(PY) --compile-bytecode --excludes requirements/excludes.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(UV) pip install --quiet --python $(PY) --compile-bytecode --excludes requirements/excludes.txt -e '.[test]'
	touch $@

# Copy the stored lessons once (the same code as `treatylib lessons`): a student's own
# copy is never overwritten. Then open JupyterLab there, on 127.0.0.1, token on.
lessons: $(VENV)/.installed
	$(PY) -m treatylib lessons $(LESSONS_DIR)

# An editable install has no .pyc files of treatylib itself, and PYTHONDONTWRITEBYTECODE
# may stop Python writing them: compile once so each kernel need not (about 40 ms each).
lab: $(VENV)/.installed
	$(PY) -m compileall -q treatylib
	$(PY) -m treatylib lab $(LESSONS_DIR)

test: $(VENV)/.installed-test
	$(PY) -m compileall -q treatylib
	$(PY) -m ruff check treatylib tests scripts benchmarks
	$(PY) -m pytest $(NOSOCKET) --doctest-modules $(NBVAL) treatylib tests notebooks

# Performance budgets (not part of `make test`): prints a table, exits 1 if over budget.
bench: $(VENV)/.installed-test
	$(PY) -m compileall -q treatylib
	$(PY) benchmarks/run.py

# Developer helpers: re-execute the stored lessons after changing code or data,
# and regenerate the data dictionary after changing datapackage.json.
notebooks: $(VENV)/.installed-test
	$(PY) scripts/execute_notebooks.py

dictionary: $(VENV)/.installed
	$(PY) scripts/data_dictionary.py > docs/data_dictionary.md

guide: $(VENV)/.installed
	$(PY) scripts/teacher_guide.py > notebooks/teacher/teacher_guide.md

clean:
	rm -rf $(VENV) .pytest_cache dist
