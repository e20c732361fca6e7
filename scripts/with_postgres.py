"""Run a command against PostgreSQL: ``python scripts/with_postgres.py CMD ...``.

With DATABASE_URL set, the command runs against that server. Otherwise a throw-away
cluster is created with the installed server programs (initdb refuses to run as root,
so as root the cluster belongs to the ``postgres`` system user), listening only on a
Unix socket in a temporary folder, and removed afterwards. Where no server programs
are installed the run is skipped with a message — except under CI=true, where a
skipped PostgreSQL run is a failure.
"""

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path


def server_bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))
    for bindir in reversed(candidates):
        if (Path(bindir) / "initdb").exists():
            return Path(bindir)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def as_owner(command: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *command] if owner else command


@contextmanager
def throwaway_cluster(bindir: Path, port: str = "54329", settings: str = ""):
    """Create and start a throw-away cluster; yield its DATABASE_URL (Unix socket only);
    stop and remove it on leaving, also on an error. ``settings``: extra ``-c`` options."""
    owner = "postgres" if os.geteuid() == 0 else None
    workdir = Path(tempfile.mkdtemp(prefix="renkei-pg-"))
    datadir, sockdir = workdir / "data", workdir
    if owner:
        entry = pwd.getpwnam(owner)
        os.chown(workdir, entry.pw_uid, entry.pw_gid)
    user = owner or pwd.getpwuid(os.geteuid()).pw_name
    try:
        subprocess.run(
            as_owner(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(datadir),
                    "-U",
                    user,
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ],
                owner,
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-k {sockdir} -p {port} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        if settings:
            options = f"{options} {settings}"
        subprocess.run(
            as_owner(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(datadir),
                    "-o",
                    options,
                    "-w",
                    "-l",
                    str(workdir / "server.log"),
                    "start",
                ],
                owner,
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        url = f"postgres://{user}@/renkei?host={sockdir}&port={port}"
        print(f"PostgreSQL: throw-away cluster at {datadir} ({bindir.parent.name})", flush=True)
        yield url
    finally:
        subprocess.run(
            as_owner([str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast", "stop"], owner),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(workdir, ignore_errors=True)


def run_with_cluster(bindir: Path, command: list[str]) -> int:
    with throwaway_cluster(bindir) as url:
        return subprocess.run(command, env={**os.environ, "DATABASE_URL": url}).returncode


def main(command: list[str]) -> int:
    if os.environ.get("DATABASE_URL"):
        print("PostgreSQL: using DATABASE_URL", flush=True)
        return subprocess.run(command).returncode
    bindir = server_bindir()
    if bindir is None:
        message = "PostgreSQL server programs (initdb, pg_ctl) are not installed"
        if os.environ.get("CI") == "true":
            print(f"FAILED: {message}; CI must run the suite on PostgreSQL.", file=sys.stderr)
            return 1
        print(f"SKIPPED the PostgreSQL run: {message}. Install postgresql or set DATABASE_URL.")
        return 0
    return run_with_cluster(bindir, command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
