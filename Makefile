# The two commands of the README: `make demo` and `make test`. Both start from a clean clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install translations lint format messages clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Compiles the project's and each app's locale/*/LC_MESSAGES/django.po with Babel, so no
# system gettext is needed.
translations: install
	@for dir in locale koblingsboks/*/locale; do \
		if [ -d "$$dir" ]; then $(BIN)/pybabel compile --use-fuzzy -d "$$dir" -D django --statistics || exit 1; fi; \
	done

demo: install translations
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Serving the demo on http://$(HOST):$(PORT)/ — demo users are listed in the README."
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract new UI strings into locale/*/django.po and each app's own catalogue (needs GNU
# gettext; developers only).
messages: install
	$(BIN)/python manage.py makemessages -l nb -l en --no-obsolete --no-location -i '.venv/*'
	@for dir in koblingsboks/*/locale; do \
		if [ -d "$$dir" ]; then $(BIN)/python manage.py makemessages --app "$$(basename $$(dirname $$dir))" -l nb -l en --no-obsolete --no-location || exit 1; fi; \
	done

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm
