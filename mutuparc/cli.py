"""The ``mutuparc`` command. Each sub-command imports what it needs when it runs, so that an
agent-only install (``pip install mutuparc[agent]``) never imports the server's libraries.

Commands that use the database take it from the settings (``server/core/config.py``): they
refuse, saying how to configure one, when nothing names a database (no ``MUTUPARC_DATABASE_URL``,
no data directory, not in a checkout); a database that cannot be reached or opened is one line
on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

app = typer.Typer(help="Mutuparc: inventaire du parc des services communs.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
admin_app = typer.Typer(help="Members, sites, users and tokens.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(admin_app, name="admin")
eol_app = typer.Typer(help="End-of-life catalogue.", no_args_is_help=True)
app.add_typer(eol_app, name="eol")
keys_app = typer.Typer(help="Allocation keys: daily snapshots, year closure.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


def _fail(message: str, code: int = 1) -> NoReturn:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


@app.callback()
def options(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            metavar="DIR",
            help="the server's data: the SQLite database (DIR/mutuparc.db) unless MUTUPARC_DATABASE_URL says "
            "otherwise, and the generated secret key (MUTUPARC_DATA_DIR)",
        ),
    ] = None,
) -> None:
    """Mutuparc: inventaire du parc des services communs."""
    if data_dir is not None:
        from server.core.config import use_data_dir

        use_data_dir(data_dir)


def _settings():  # type: ignore[no-untyped-def]
    """The settings, or a message saying what is wrong with them (no database configured...)."""
    from server.core.config import SettingsError, get_settings

    try:
        return get_settings()
    except SettingsError as exc:
        _fail(str(exc))


def _sqlite_file(settings) -> Path | None:  # type: ignore[no-untyped-def]
    """The SQLite database file (None: PostgreSQL, or SQLite in memory)."""
    url = settings.database_url
    if not settings.is_sqlite or "///" not in url:
        return None
    path = url.split("///", 1)[1].split("?", 1)[0]
    return Path(path) if path and not path.startswith(":memory:") else None


def _engine(settings, *, create: bool = False):  # type: ignore[no-untyped-def]
    """The engine of the configured database; a SQLite file that is not there is created only
    when ``create`` (``db upgrade``): elsewhere it is a wrong path, said as such."""
    from server.core.db import make_engine

    path = _sqlite_file(settings)
    if path is not None and not create and not path.exists():
        _fail(f"no database at {path.absolute()}: run `mutuparc db upgrade` first (or set MUTUPARC_DATABASE_URL "
              "or --data-dir to the database you meant)")  # fmt: skip
    try:
        return make_engine(settings)
    except ImportError as exc:
        _fail(f"database {settings.database_label}: its driver is not installed ({exc.name or exc})")
    except OSError as exc:  # the SQLite file's folder cannot be made
        where = f"cannot create {exc.filename}: " if exc.filename else ""
        _fail(f"database {settings.database_label}: {where}{exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - sqlalchemy's ArgumentError, NoSuchModuleError: a wrong URL
        _fail(f"database {settings.database_label}: {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc  # a DBAPI error wrapped by SQLAlchemy: the driver's own words
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    return lines[0] if lines else type(orig).__name__


def _database_problem(exc: BaseException) -> str | None:
    """One line for an error of the database (unreachable, refused login, unknown URL...), or None."""
    if not type(exc).__module__.startswith(("sqlalchemy", "psycopg", "sqlite3", "alembic")):
        return None
    from server.core.config import get_settings

    try:
        label = get_settings().database_label
    except Exception:  # noqa: BLE001 - the error is about the database: say it without its name
        return f"database error: {_first_line(exc)}"
    return f"database {label}: {_first_line(exc)}"


@app.command()
def server(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(help="worker processes (PostgreSQL: one per core)")] = 1,
    log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info",
) -> None:
    """Run the server (REST API, web pages, agent endpoint)."""
    import uvicorn

    from server import migrations

    settings = _settings()
    if settings.is_sqlite and workers > 1:
        _fail(f"--workers {workers}: SQLite serves one writer at a time, more workers would only queue for it: "
              "run one worker, or use PostgreSQL (MUTUPARC_DATABASE_URL=postgresql://...) for several.", 2)  # fmt: skip
    try:
        migrations.ensure_current(_engine(settings))
    except migrations.SchemaBehind as exc:
        _fail(f"Cannot start: {exc} (database {settings.database_label})")
    typer.echo(f"database: {settings.database_label}", err=True)
    if settings.secret_key is None:  # generated there on first use: the file to keep (or MUTUPARC_SECRET_KEY)
        typer.echo(f"secret key file: {settings.secret_key_file.absolute()}", err=True)
    uvicorn.run(
        "server.main:app_factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        proxy_headers=True,  # the client address a reverse proxy forwarded, from trusted proxies only
        forwarded_allow_ips=settings.trusted_proxies,
    )


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
def agent(ctx: typer.Context) -> None:
    """Inventory this machine and send it to the server (mutuparc agent --help for the options)."""
    from agent.cli import main as agent_main

    raise typer.Exit(agent_main(ctx.args))


collect_app = typer.Typer(help="Poll network devices (SNMP) and report them to the server.")
app.add_typer(collect_app, name="collect")


def _collector():  # type: ignore[no-untyped-def]
    try:
        from collector import cli
    except ImportError as exc:
        _fail(f"the collector is not installed ({exc.name} missing): pip install 'mutuparc[collector]'")
    return cli


@collect_app.callback(invoke_without_command=True)
def collect(
    ctx: typer.Context,
    config: Annotated[Path | None, typer.Option(help="collector configuration file (YAML)")] = None,
    output: Annotated[Path | None, typer.Option(help="write the messages to this folder, send nothing")] = None,
    every: Annotated[float | None, typer.Option(help="run again every N minutes (default: once)")] = None,
    discovery: Annotated[bool, typer.Option(help="sweep the discovery ranges after polling")] = True,
    check: Annotated[bool, typer.Option("--check", help="only check the configuration file")] = False,
) -> None:
    """Poll the configured devices, sweep the discovery ranges, send everything to the server."""
    if ctx.invoked_subcommand is None:
        raise typer.Exit(_collector().run(config=config, output=output, every=every, discover=discovery, check=check))


@collect_app.command("probe")
def collect_probe(
    host: Annotated[str, typer.Argument(help="address of the device")],
    port: Annotated[int, typer.Option(help="SNMP port")] = 161,
    community: Annotated[str, typer.Option(help="SNMPv1/v2c community")] = "public",
    snmp_version: Annotated[str, typer.Option(help="1, 2c or 3")] = "2c",
    user: Annotated[str | None, typer.Option(help="SNMPv3 user")] = None,
    auth_protocol: Annotated[str, typer.Option(help="SNMPv3: md5, sha, sha256, sha512...")] = "sha256",
    auth_key: Annotated[str | None, typer.Option(help="SNMPv3 authentication key")] = None,
    priv_protocol: Annotated[str, typer.Option(help="SNMPv3: aes, aes256, des...")] = "aes",
    priv_key: Annotated[str | None, typer.Option(help="SNMPv3 privacy key")] = None,
    config: Annotated[Path | None, typer.Option(help="take the credential from this configuration")] = None,
    credential: Annotated[str | None, typer.Option(help="name of the credential in --config")] = None,
    timeout: Annotated[float, typer.Option(help="seconds per SNMP request")] = 2.0,
) -> None:
    """Identify one device and print the inventory a run would send for it."""
    cli = _collector()
    from collector.config import load_config
    from collector.errors import ConfigError
    from collector.snmp.session import Credential

    if config is not None:
        try:
            credentials = load_config(config).credentials
        except ConfigError as exc:
            _fail(f"configuration error: {exc}")
        if credential not in credentials:
            _fail(f"--credential: one of {', '.join(credentials) or '(none configured)'}")
        chosen = credentials[credential]
    else:
        chosen = Credential(version=snmp_version, name="probe", community=community, user=user,
                            auth_protocol=auth_protocol, auth_key=auth_key, priv_protocol=priv_protocol,
                            priv_key=priv_key)  # fmt: skip
    raise typer.Exit(cli.probe(host=host, port=port, credential=chosen, timeout=timeout))


@collect_app.command("ssh")
def collect_ssh(
    host: Annotated[str, typer.Argument(help="address of the device")],
    driver: Annotated[str, typer.Option(help="auto, linux, cisco_ios")] = "auto",
    user: Annotated[str, typer.Option(help="SSH user")] = "admin",
    password: Annotated[
        str | None, typer.Option(help="password (else --key-file)", envvar="MUTUPARC_SSH_PASSWORD")
    ] = None,
    key_file: Annotated[Path | None, typer.Option(help="private key file")] = None,
    port: Annotated[int, typer.Option(help="SSH port")] = 22,
    known_hosts: Annotated[
        Path | None,
        typer.Option(help="host keys, trusted on first use [default: known_hosts in the collector's state folder]"),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="refuse hosts not in --known-hosts")] = False,
    timeout: Annotated[float, typer.Option(help="seconds per step")] = 10.0,
) -> None:
    """Inventory one device over SSH and print the inventory a run would send for it."""
    import json

    from agent.config import default_state_dir

    cli = _collector()
    from collector.ssh.connection import SshCredential, SshTarget
    from collector.ssh.runner import inventory_one

    cli.quiet_ssh_libraries()
    target = SshTarget(host=host, port=port, driver=driver, timeout=timeout)
    credential = SshCredential(user, password=password, key_file=str(key_file) if key_file else None)
    known_hosts = known_hosts or default_state_dir("collector") / "known_hosts"  # what `mutuparc collect` uses
    result = inventory_one(target, credential, known_hosts, trust_on_first_use=not strict)
    if result.status != "ok":
        text = result.message if result.message.startswith(host) else f"{host}: {result.message}"
        _fail(text if result.status == "error" else f"{text} [{result.status}]")
    for warning in result.warnings:
        typer.secho(f"warning: {warning}", fg=typer.colors.YELLOW, err=True)
    typer.echo(json.dumps(result.inventory, indent=2, ensure_ascii=False))
    typer.secho(f"{host}: {result.driver}, {result.seconds:.1f} s", err=True)


@collect_app.command("discover")
def collect_discover(
    config: Annotated[Path, typer.Option(help="collector configuration file (YAML)")],
) -> None:
    """Sweep the discovery ranges only: what answers on the network, and what it is."""
    raise typer.Exit(_collector().discover(config=config))


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="target revision")] = "head") -> None:
    """Apply the schema migrations (creates the database on first run)."""
    from server import migrations

    settings = _settings()
    path = _sqlite_file(settings)
    new = " (new file)" if path is not None and not path.exists() else ""
    engine = _engine(settings, create=True)
    migrations.upgrade(engine, revision)
    typer.echo(f"database: {settings.database_label}{new}", err=True)
    typer.echo(f"database schema at revision {migrations.current_revision(engine)}")


@db_app.command("current")
def db_current() -> None:
    """Show the schema revision of the database and of the code."""
    from server import migrations

    settings = _settings()
    path = _sqlite_file(settings)
    current = None if path is not None and not path.exists() else migrations.current_revision(_engine(settings))
    typer.echo(f"database: {settings.database_label}", err=True)  # stdout is read by the Ansible role:
    typer.echo(f"database: {current}  code: {migrations.head_revision()}")  # "database: <rev>  code: <rev>"


@db_app.command("revision")
def db_revision(message: Annotated[str, typer.Option("-m", "--message")]) -> None:
    """(Developers) autogenerate a migration from the model changes."""
    from server import migrations

    migrations.revision(_engine(_settings()), message)


def _admin_session():  # type: ignore[no-untyped-def]
    from server import migrations
    from server.core.db import transaction

    settings = _settings()
    engine = _engine(settings)
    try:
        migrations.ensure_current(engine)
    except migrations.SchemaBehind as exc:
        _fail(f"{exc} (database {settings.database_label})")
    return transaction(engine)


def _member_id(session, member: str) -> int:  # type: ignore[no-untyped-def]
    from server.tenancy.crud import member_by_name
    from server.tenancy.models import Member

    found = session.get(Member, int(member)) if member.isdigit() else member_by_name(session=session, name=member)
    if found is None:
        _fail(f"no member {member!r}")
    return found.id


def _run_admin(action, audit: str | None = None, **details):  # type: ignore[no-untyped-def]
    """Run ``action(session)`` in one transaction; ``audit`` names the change for the audit chain."""
    import getpass

    from server.audit.chain import append
    from server.core.errors import DomainError

    try:
        with _admin_session() as session:
            result = action(session)
            if audit:
                append(session.connection(), actor=f"cli:{getpass.getuser()}", via="cli", action=audit,
                       details=details)  # fmt: skip
            return result
    except DomainError as exc:
        _fail(exc.message)


@eol_app.command("update")
def eol_update(
    file: Annotated[Path, typer.Argument(help="a catalogue in the shape of server/renewal/data/eol.json")],
) -> None:
    """Load a newer end-of-life catalogue (it replaces the shipped one, no code change needed)."""
    import json

    from server.renewal.catalogue import Catalogue, validate
    from server.renewal.models import EolCatalogue

    try:
        data = validate(json.loads(file.read_text("utf-8")))
    except (OSError, ValueError) as exc:
        _fail(f"{file}: {exc}")
    except Exception as exc:  # noqa: BLE001 - Invalid: say what is wrong with the file
        _fail(f"{file}: {getattr(exc, 'message', exc)}")
    _run_admin(lambda s: s.add(EolCatalogue(origin=file.name, content=data)), "eol update", file=file.name)
    typer.echo(f"end-of-life catalogue loaded: {len(Catalogue(data))} release cycles from {file.name}")


@keys_app.command("snapshot")
def keys_snapshot(
    day: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: today); re-running replaces it")] = None,
) -> None:
    """Store every key's value per member for a day (run daily: the J+1 dashboards)."""
    import datetime as dt

    from server.allocation.keys import take_snapshot
    from server.core.config import get_settings

    try:
        when = dt.date.fromisoformat(day) if day else dt.date.today()
    except ValueError:
        _fail(f"--day: a date like 2026-11-23, not {day!r}")
    from server.core.locks import JobBusy

    def snapshot(session):  # type: ignore[no-untyped-def]
        try:
            return take_snapshot(session, when, get_settings().stale_days)
        except JobBusy as exc:  # the timer fired on several server machines: one of them does it
            return exc

    count = _run_admin(snapshot)
    if isinstance(count, JobBusy):
        typer.echo(f"skipped: {count.message}")
        return
    typer.echo(f"{count} key values stored for {when.isoformat()}")


@keys_app.command("close")
def keys_close(
    year: int,
    actor: Annotated[str, typer.Option(help="who closes (recorded)")] = "cli",
    before_year_end: Annotated[bool, typer.Option(help="confirm closing before December 31st")] = False,
) -> None:
    """Close a year: its key values, pools and statements are frozen; statements are published as a new version."""
    from server.allocation.closure import close
    from server.core.config import get_settings

    def action(session):  # type: ignore[no-untyped-def]
        return close(session, year, actor, get_settings().stale_days, before_year_end=before_year_end)

    _run_admin(action, "keys close", year=year, actor=actor, before_year_end=before_year_end)
    typer.echo(f"year {year} closed")


@keys_app.command("reopen")
def keys_reopen(
    year: int,
    reason: Annotated[str, typer.Option(help="why the year is reopened (recorded)")],
    actor: Annotated[str, typer.Option(help="who reopens (recorded)")] = "cli",
) -> None:
    """Reopen a closed year (an audited admin act): its pools and key values can change again."""
    from server.allocation.closure import reopen

    _run_admin(lambda s: reopen(s, year, actor, reason), "keys reopen", year=year, actor=actor, reason=reason)
    typer.echo(f"year {year} reopened")


@admin_app.command("create-member")
def create_member(
    name: str,
    kind: Annotated[str, typer.Option(help="commune, epci, dsit or other")] = "commune",
    population: Annotated[int | None, typer.Option()] = None,
    insee_code: Annotated[str | None, typer.Option("--insee")] = None,
) -> None:
    """Create a member (commune, EPCI...)."""
    from server.tenancy.crud import create_member as create
    from server.tenancy.models import MemberCreate

    member = _run_admin(
        lambda s: create(
            session=s, member_in=MemberCreate(name=name, kind=kind, population=population, insee_code=insee_code)
        ),
        "admin create-member",
        name=name,
        kind=kind,
    )
    typer.echo(f"member {member.id}: {member.name}")


@admin_app.command("create-site")
def create_site(member: str, name: str, address: Annotated[str | None, typer.Option()] = None) -> None:
    """Create a site of a member (by member name or id)."""
    from server.tenancy.crud import create_site as create
    from server.tenancy.models import SiteCreate

    site = _run_admin(
        lambda s: create(session=s, site_in=SiteCreate(member_id=_member_id(s, member), name=name, address=address)),
        "admin create-site",
        member=member,
        name=name,
    )
    typer.echo(f"site {site.id}: {site.name}")


@admin_app.command("create-user")
def create_user(
    username: str,
    role: Annotated[str, typer.Option(help="admin, technician or member_reader")] = "admin",
    member: Annotated[str | None, typer.Option(help="member of a member_reader")] = None,
    password: Annotated[str | None, typer.Option(help="password for the web pages", prompt=False)] = None,
    api_token: Annotated[bool, typer.Option("--api-token/--no-api-token", help="also create an API token")] = True,
) -> None:
    """Create a user, and an API token for it (printed once)."""
    from server.accounts.crud import create_api_token
    from server.accounts.crud import create_user as create
    from server.accounts.models import Role

    def action(session):  # type: ignore[no-untyped-def]
        member_id = _member_id(session, member) if member else None
        user = create(session=session, username=username, role=Role(role), password=password, member_id=member_id)
        days = _settings().api_token_days
        token = create_api_token(session=session, user=user, name="cli", days=days)[1] if api_token else None
        return user, token

    user, token = _run_admin(action, "admin create-user", username=username, role=role, member=member)
    typer.echo(f"user {user.id}: {user.username} ({user.role})")
    if token:
        typer.echo(f"API token: {token}")


@admin_app.command("create-api-token")
def create_api_token(
    username: str,
    name: Annotated[str, typer.Option()] = "cli",
    days: Annotated[
        int | None, typer.Option(min=1, help="days until it expires (default MUTUPARC_API_TOKEN_DAYS)")
    ] = None,
) -> None:
    """Create an API token for an existing user (printed once)."""
    from server.accounts.crud import create_api_token as create
    from server.accounts.crud import user_by_name

    lifetime = days or _settings().api_token_days
    row, token = _run_admin(
        lambda s: create(session=s, user=user_by_name(session=s, username=username), name=name, days=lifetime),
        "admin create-api-token",
        username=username,
        name=name,
        days=lifetime,
    )
    typer.echo(token)
    typer.echo(f"token {row.id}, expires {row.expires_at:%Y-%m-%d %H:%M} UTC", err=True)


@admin_app.command("list-api-tokens")
def list_api_tokens(username: str) -> None:
    """A user's API tokens: id, name, prefix, created, expires, last used, revoked."""
    from server.accounts.crud import list_api_tokens as listed
    from server.accounts.crud import user_by_name

    def when(moment) -> str:  # type: ignore[no-untyped-def]
        return f"{moment:%Y-%m-%d %H:%M}" if moment else "-"

    rows = _run_admin(lambda s: s.scalars(listed(user_id=user_by_name(session=s, username=username).id)).all())
    typer.echo("id\tname\tprefix\tcreated\texpires\tlast used\trevoked")
    for row in rows:
        typer.echo(f"{row.id}\t{row.name}\t{row.prefix}...\t{when(row.created_at)}\t{when(row.expires_at)}"
                   f"\t{when(row.last_used_at)}\t{when(row.revoked_at)}")  # fmt: skip


@admin_app.command("revoke-api-token")
def revoke_api_token(token_id: int) -> None:
    """Revoke an API token (see list-api-tokens for its id): refused from now on."""
    from server.accounts.crud import revoke_api_token as revoke

    row = _run_admin(lambda s: revoke(session=s, token_id=token_id), "admin revoke-api-token", token_id=token_id)
    typer.echo(f"token {row.id} ({row.name}, {row.prefix}...) revoked")


@admin_app.command("set-password")
def set_password(
    username: str,
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="the new password")
    ],
) -> None:
    """Set a user's web password; every web session of the user ends."""
    from server.accounts.crud import set_password as change
    from server.accounts.crud import user_by_name

    ended = _run_admin(
        lambda s: change(session=s, user=user_by_name(session=s, username=username), password=password),
        "admin set-password",
        username=username,
    )
    typer.echo(f"password of {username} changed; {ended} web session(s) ended")


@admin_app.command("create-enrolment-token")
def create_enrolment_token(
    member: str,
    label: Annotated[str | None, typer.Option()] = None,
    site: Annotated[str | None, typer.Option(help="site name: inventories land on this site")] = None,
    kind: Annotated[str, typer.Option(help="agent or collector")] = "agent",
) -> None:
    """Create an enrolment token for a member's agents or collectors (printed once)."""
    from server.accounts.crud import create_enrolment_token as create
    from server.accounts.models import EnrolmentTokenCreate, TokenKind
    from server.tenancy.crud import site_by_name

    def action(session):  # type: ignore[no-untyped-def]
        member_id = _member_id(session, member)
        site_id = None
        if site:
            found = site_by_name(session=session, member_id=member_id, name=site)
            if found is None:
                _fail(f"no site {site!r} for this member")
            site_id = found.id
        token_in = EnrolmentTokenCreate(
            member_id=member_id, site_id=site_id, kind=TokenKind(kind), label=label or f"{kind} {member}"
        )
        return create(session=session, token_in=token_in, created_by="cli")

    _, token = _run_admin(action, "admin create-enrolment-token", member=member, kind=kind, site=site)
    typer.echo(token)


@admin_app.command("list-members")
def list_members() -> None:
    """List members with their number of assets."""
    from sqlalchemy import func, select

    from server.assets.models import Asset
    from server.tenancy.models import Member

    def action(session):  # type: ignore[no-untyped-def]
        counts = dict(
            session.execute(
                select(Asset.member_id, func.count()).where(Asset.merged_into_id.is_(None)).group_by(Asset.member_id)
            ).all()
        )
        return [
            (m.id, m.name, m.kind, counts.get(m.id, 0)) for m in session.scalars(select(Member).order_by(Member.name))
        ]

    for member_id, name, kind, assets in _run_admin(action):
        typer.echo(f"{member_id:>4}  {name:<40} {kind:<8} {assets:>6} assets")


@app.command("backup")
def backup_command(output: Annotated[Path, typer.Argument(help="file to write")]) -> None:
    """Back up the whole database into one file (SQLite online backup, or pg_dump), server running."""
    from server.maintenance.backup import BackupError, backup

    settings = _settings()
    path = _sqlite_file(settings)
    if path is not None and not path.exists():
        _fail(f"no database at {path.absolute()}: nothing to back up (set MUTUPARC_DATABASE_URL or --data-dir)")
    try:
        backup(settings.database_url, output)
    except (BackupError, OSError) as exc:
        _fail(f"backup failed: {exc}")
    typer.echo(f"backup written to {output} ({output.stat().st_size:,} bytes) from {settings.database_label}")


@app.command("restore")
def restore_command(
    source: Annotated[Path, typer.Argument(help="a file written by mutuparc backup")],
    yes: Annotated[bool, typer.Option("--yes", help="do not ask: everything is replaced")] = False,
    force: Annotated[bool, typer.Option("--force", help="restore a backup whose audit chain is not intact")] = False,
) -> None:
    """Replace the whole database with a backup (stop the servers first), then check its audit chain.

    A backup whose audit chain is broken, or whose protection triggers were dropped, is refused
    unless --force; the triggers are re-created after every restore."""
    import getpass
    import hashlib

    from server.audit.chain import append, verify
    from server.maintenance.backup import BackupError, restore

    settings = _settings()
    if not yes:
        typer.confirm(f"Replace everything in {settings.database_label} with {source}?", abort=True)
    try:
        if (path := _sqlite_file(settings)) is not None:  # a new machine: its data directory may not exist yet
            path.parent.mkdir(parents=True, exist_ok=True)
        restore(settings.database_url, source, force=force)
    except (BackupError, OSError) as exc:
        _fail(f"restore failed: {exc}")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()

    def check_and_record(session):  # type: ignore[no-untyped-def]
        report = verify(session.connection())
        append(session.connection(), actor=f"cli:{getpass.getuser()}", via="cli", action="restore",
               details={"file": source.name, "sha256": digest, "chain_intact": report.ok})  # fmt: skip
        return report

    report = _run_admin(check_and_record)
    typer.echo(f"restored from {source} into {settings.database_label}; audit chain: {report.rows} rows, "
               f"{'intact' if report.ok else 'NOT intact: run mutuparc audit verify'}")  # fmt: skip


secrets_app = typer.Typer(help="The key that encrypts stored secrets (SNMP credentials).", no_args_is_help=True)
app.add_typer(secrets_app, name="secrets")


@secrets_app.command("new-key")
def secrets_new_key() -> None:
    """Print a new random secret key (for MUTUPARC_SECRET_KEY)."""
    import secrets

    typer.echo(secrets.token_urlsafe(48))


@secrets_app.command("rotate")
def secrets_rotate() -> None:
    """Re-encrypt every stored secret with MUTUPARC_SECRET_KEY; the old key is MUTUPARC_SECRET_KEY_PREVIOUS."""
    from server.core.secretbox import SecretBox
    from server.maintenance.secrets import rotate_secrets

    settings = _settings()
    if settings.secret_key_previous is None:
        _fail("set MUTUPARC_SECRET_KEY_PREVIOUS to the old key (and MUTUPARC_SECRET_KEY to the new one) first")
    box = SecretBox(settings)
    count = _run_admin(lambda s: rotate_secrets(s, box), "secrets rotate")
    typer.echo(f"{count} stored secrets encrypted with the new key; MUTUPARC_SECRET_KEY_PREVIOUS can be removed")


audit_app = typer.Typer(help="The audit chain: every change, chained by hashes.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


def _head(text: str | None) -> tuple[int, str] | None:
    if not text:
        return None
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        _fail(f"--head: SEQ:HASH as printed by an earlier verify, not {text!r}")
    return int(seq), digest


@audit_app.command("verify")
def audit_verify(
    head: Annotated[
        str | None, typer.Option(help="SEQ:HASH printed by an earlier run: also catches deleted last rows")
    ] = None,
    file: Annotated[
        Path | None, typer.Option(help="check an exported file (CSV or .jsonl) instead of the database")
    ] = None,
) -> None:
    """Recompute the audit chain; exit 1 and name every row that was changed or deleted."""
    from server.audit.chain import verify
    from server.audit.export import verify_file

    report = verify_file(file) if file is not None else _run_admin(lambda s: verify(s.connection(), _head(head)))
    for problem in report.problems:
        typer.secho(problem, fg=typer.colors.RED, err=True)
    typer.echo(f"{report.rows} rows; head {report.head_seq}:{report.head_hash}")
    if not report.ok:
        _fail("the audit chain was tampered with")
    typer.echo("audit chain intact")


@audit_app.command("export")
def audit_export(
    output: Annotated[Path, typer.Argument(help="file to write (.csv, or .jsonl for JSON Lines)")],
) -> None:
    """Write every row with its hashes and the head: legal proof anyone can re-check (verify --file)."""
    from server.audit.export import render

    body, _, _ = _run_admin(lambda s: render(s.connection(), "jsonl" if output.suffix == ".jsonl" else "csv"))
    output.write_bytes(body)
    typer.echo(f"audit chain written to {output}")


def main() -> None:
    try:
        app()
    except Exception as exc:
        message = _database_problem(exc)
        if message is None:
            raise
        typer.secho(message, fg=typer.colors.RED, err=True)
        raise SystemExit(1) from None
