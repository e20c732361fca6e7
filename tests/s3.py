"""A real S3-compatible server for the object-storage tests: moto's ``moto_server``
process on a free local port, started once per session, a fresh bucket per test.

``s3`` points Django's STORAGES at a new private bucket for one test (through the
``settings`` fixture, so Django's storage handler is reset before and after) and returns
it for the test to look into with boto3, as an operator would."""

import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

# Credentials moto accepts; boto3 reads them from the environment, as Renkei's do.
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "renkei-test",
    "AWS_SECRET_ACCESS_KEY": "renkei-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class S3Server:
    """One ``moto_server`` process on 127.0.0.1."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        program = Path(sys.executable).with_name("moto_server")
        self.process = subprocess.Popen(
            [str(program), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **CREDENTIALS},
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
        )

    def new_bucket(self) -> "Bucket":
        """A new, empty bucket with every kind of public access blocked."""
        name = f"renkei-{uuid.uuid4().hex[:16]}"
        client = self.client()
        client.create_bucket(Bucket=name)
        client.put_public_access_block(
            Bucket=name,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
        return Bucket(name, self)

    def environment(self, bucket: "Bucket") -> dict[str, str]:
        """The variables an installation sets to keep its files in ``bucket``."""
        return {
            **CREDENTIALS,
            "RENKEI_S3_BUCKET": bucket.name,
            "RENKEI_S3_ENDPOINT_URL": self.endpoint,
        }

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Bucket:
    name: str
    server: S3Server

    def objects(self) -> list[str]:
        """The keys of every object in the bucket, sorted."""
        pages = self.server.client().get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return sorted(entry["Key"] for page in pages for entry in page.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.server.client().get_object(Bucket=self.name, Key=key)["Body"].read()

    def public_grants(self, key: str) -> list[dict]:
        """The grants of ``key`` to anyone but its owner (everyone, any AWS user)."""
        grants = self.server.client().get_object_acl(Bucket=self.name, Key=key)["Grants"]
        return [g for g in grants if g["Grantee"].get("Type") == "Group"]


@pytest.fixture(scope="session")
def s3_server():
    server = S3Server()
    yield server
    server.stop()


@pytest.fixture
def s3(s3_server, settings, monkeypatch, tmp_path) -> Bucket:
    """This test's files go to a new private bucket of the session's S3 server (and
    MEDIA_ROOT is an empty folder that must stay empty)."""
    from renkei.settings import storages_config

    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    bucket = s3_server.new_bucket()
    settings.STORAGES = storages_config(s3_server.environment(bucket))
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RENKEI_CACHE_DIR = tmp_path / "cache"
    return bucket
