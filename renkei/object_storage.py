"""The S3-compatible object storage Renkei keeps its files in when ``RENKEI_S3_BUCKET`` is
set (``storages_config`` in renkei/settings.py; docs/adr/0012-object-storage.md).

Files are read and written through Django's storage API and served by Renkei's own views
after their permission checks, as on disk; nothing hands out a URL to the bucket. The
bucket stays private: no object is written with an ACL (each keeps the bucket's, which
must block public access), and ``url()`` gives no address in the bucket.
"""

from urllib.parse import urljoin

from botocore.config import Config
from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """django-storages' S3 backend with the defaults Renkei's files need, and a move
    inside the bucket for ``renkei.files``."""

    def get_default_settings(self):
        defaults = super().get_default_settings()
        defaults.update(
            # No ACL header: objects stay as private as the bucket.
            default_acl=None,
            # A name already taken gets another, as on disk, instead of being overwritten
            # (renkei.files replaces a leftover deliberately, through ``move``).
            file_overwrite=False,
            # A file read for a response stays in memory up to 2 MB, then goes to disk.
            max_memory_size=2 * 1024 * 1024,
            # An unreachable server fails within seconds (so /readyz answers 503 in time),
            # after two retries for a passing error.
            client_config=Config(
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        )
        return defaults

    def __init__(self, **settings):
        super().__init__(**settings)
        if self.addressing_style:
            # django-storages sets client_config in its (untyped) __init__.
            self.client_config = self.client_config.merge(  # type: ignore[has-type]
                Config(s3={"addressing_style": self.addressing_style})
            )

    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        """What the admin shows as a file's link: the same MEDIA_URL path as on disk,
        which Renkei does not serve, never an address in the bucket (signed or not):
        files reach people only through Renkei's views."""
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))

    def move(self, old_name: str, new_name: str) -> None:
        """Give the object ``old_name`` the name ``new_name``, replacing any object of that
        name, by a copy inside the bucket: the bytes do not travel through Renkei, and the
        new object appears whole or not at all."""
        self.bucket.Object(self._normalize_name(new_name)).copy_from(
            CopySource={"Bucket": self.bucket_name, "Key": self._normalize_name(old_name)},
            MetadataDirective="COPY",
        )
        self.delete(old_name)
