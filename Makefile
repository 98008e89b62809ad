# newsarchive: `make run` serves the archive, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint format bench admin index migrate serve soak backup restore browsers clean-venv

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

migrate: $(VENV)/.installed
	$(MANAGE) migrate --noinput

run: migrate
	$(MANAGE) runserver $(HOST):$(PORT)

admin: migrate
	$(MANAGE) createsuperuser

index: migrate
	$(MANAGE) rebuild_index --noinput

test: $(VENV)/.installed-dev
	$(VENV)/bin/pytest -q -p no:cacheprovider

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(VENV)/.installed-dev
	$(PY) -m bench

# The production stack locally: gunicorn + whitenoise with production settings, plain HTTP on
# loopback (so no TLS redirect). The secret key is made once and kept in the data directory.
DATA_DIR ?= $(or $(NEWSARCHIVE_DATA_DIR),data)
serve: $(VENV)/.installed
	@mkdir -p $(DATA_DIR)
	@test -s $(DATA_DIR)/secret_key || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $(DATA_DIR)/secret_key
	DJANGO_SETTINGS_MODULE=newsarchive.settings.prod DJANGO_SECRET_KEY=$$(cat $(DATA_DIR)/secret_key) \
	DJANGO_SECURE_SSL_REDIRECT=false $(MANAGE) migrate --noinput
	DJANGO_SETTINGS_MODULE=newsarchive.settings.prod DJANGO_SECRET_KEY=$$(cat $(DATA_DIR)/secret_key) \
	DJANGO_SECURE_SSL_REDIRECT=false $(MANAGE) collectstatic --noinput -v 0
	DJANGO_SETTINGS_MODULE=newsarchive.settings.prod DJANGO_SECRET_KEY=$$(cat $(DATA_DIR)/secret_key) \
	DJANGO_SECURE_SSL_REDIRECT=false NEWSARCHIVE_BIND=$(HOST):$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py

clean-venv:
	rm -rf $(VENV)

# Concurrency and crash runs (python -m soak --help); add the load run with
# SOAK_ARGS="--archive /path/to/data-dir" (built from ../shared/corpus up to 100k articles).
soak: $(VENV)/.installed-dev
	$(PY) -m soak $(SOAK_ARGS)

# make backup [OUT=file.gz]; make restore IN=file.gz (into an empty NEWSARCHIVE_DATA_DIR).
BACKUP_OUT ?= $(DATA_DIR)/backups/archive-$(shell date +%Y%m%d-%H%M).gz
backup: $(VENV)/.installed
	$(MANAGE) backup_archive $(or $(OUT),$(BACKUP_OUT))

restore: $(VENV)/.installed
	@test -n "$(IN)" || (echo "usage: make restore IN=backup.gz" && exit 2)
	$(MANAGE) restore_archive $(IN)
