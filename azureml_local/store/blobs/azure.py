"""Blob backend over ``azure-storage-blob``: Azurite (the emulator) or a real storage account.

One :class:`BlobServiceClient` is shared by every call and thread (the SDK's
clients are thread-safe); its HTTP session keeps a connection pool large enough
for the thread pools used by :meth:`AzureBlobStore.upload_files` /
:meth:`AzureBlobStore.download_files`.

Why uploads are atomic: a blob up to ``max_single_put_size`` is one Put Blob
request, which the service applies whole or not at all; a larger blob is staged
as uncommitted blocks and only becomes visible when the block list is committed,
so an interrupted upload never leaves a blob under the target name.

For Azurite the client's API version is pinned to the one Azurite 3.35 knows
(``2025-11-05``) so an Azurite started *without* ``--skipApiVersionCheck``
(e.g. the docker image) still works; retries are short because a loopback
emulator that does not answer will not answer 15 s later either.

``azure.*`` is imported here at module level on purpose: this module is only
imported by :mod:`azureml_local.store.blobs.factory` inside a function.
"""
from __future__ import annotations

import base64
import os
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import quote, urlparse

import requests
from azure.core.exceptions import (AzureError, HttpResponseError, ResourceExistsError, ResourceModifiedError,
                                   ResourceNotFoundError, ServiceRequestError)
from azure.core.pipeline.transport import RequestsTransport
from azure.storage.blob import BlobBlock, BlobServiceClient, LinearRetry

from azureml_local.store.local_files import atomic_write
from azureml_local.store.blobs.base import (BlobExistsError, BlobInfo, BlobNotFoundError, BlobStore,
                                            BlobStoreError, BlobStoreUnreachableError, ContainerNotFoundError,
                                            ProgressCallback, check_copy)

#: The newest storage API version Azurite 3.35.0 accepts.
AZURITE_API_VERSION = "2025-11-05"
#: Files up to this size are read into memory and sent as one Put Blob request.
SINGLE_PUT_SIZE = 32 * 1024 * 1024
#: Block size of large (staged) uploads and chunk size of large downloads.
BLOCK_SIZE = 8 * 1024 * 1024
#: Parallel connections used for one large blob.
LARGE_BLOB_CONCURRENCY = 4
_POOL_SIZE = 64


def parse_connection_string(conn_str: str) -> dict[str, str]:
    """``Key=Value;...`` into a dict (keys as written); empty parts are ignored."""
    out: dict[str, str] = {}
    for part in conn_str.strip().split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"Connection string part {part!r} is not Key=Value.")
        out[key.strip()] = value.strip()
    return out


def is_emulator(conn_str: str) -> bool:
    """True when the connection string names Azurite (dev account or a loopback endpoint)."""
    parts = {k.lower(): v for k, v in parse_connection_string(conn_str).items()}
    if parts.get("usedevelopmentstorage", "").lower() == "true":
        return True
    if parts.get("accountname") == "devstoreaccount1":
        return True
    host = urlparse(parts.get("blobendpoint", "")).hostname or ""
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("azurite")


INLINE_SMALL_FILES = 2  # up to this many small files upload in the caller's thread (no pool)


class AzureBlobStore(BlobStore):
    """A storage account reached through azure-storage-blob (``kind`` = ``"azurite"`` or ``"azure"``)."""

    def __init__(self, connection_string: str, kind: str | None = None, api_version: str | None = None,
                 pool_size: int = _POOL_SIZE, single_put_size: int = SINGLE_PUT_SIZE, block_size: int = BLOCK_SIZE):
        """Raise ``ValueError`` on a malformed connection string (nothing is contacted here)."""
        if not connection_string or not connection_string.strip():
            raise ValueError("Connection string is blank.")
        emulator = is_emulator(connection_string)
        self.connection_string = connection_string  # what a remote worker connects with (engine/dask_clusters.py)
        self.kind = kind or ("azurite" if emulator else "azure")
        self.single_put_size = single_put_size
        self.block_size = block_size
        kwargs: dict = {"max_single_put_size": single_put_size, "max_block_size": block_size,
                        "max_single_get_size": block_size * 4, "max_chunk_get_size": block_size}
        api_version = api_version or os.environ.get("AZUREML_LOCAL_STORAGE_API_VERSION") or (
            AZURITE_API_VERSION if emulator else None)
        if api_version:
            kwargs["api_version"] = api_version
        if emulator:
            kwargs["retry_policy"] = LinearRetry(backoff=0.2, retry_total=2, random_jitter_range=0.1)
            kwargs["connection_timeout"] = 5
        session = requests.Session()
        # Loopback emulator: no proxy/netrc lookups (they cost ~10 % of a small request's CPU, and an
        # HTTP(S)_PROXY without NO_PROXY would send loopback traffic to the proxy).
        session.trust_env = not emulator
        adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=pool_size)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        kwargs["transport"] = RequestsTransport(session=session, session_owner=True)
        self._service = BlobServiceClient.from_connection_string(connection_string, **kwargs)
        self.account_url = self._service.url.rstrip("/")
        self._shared = False

    # -- helpers ---------------------------------------------------------------------
    def _blob(self, container: str, name: str):
        return self._service.get_blob_client(container, _clean_name(name))

    @contextmanager
    def _errors(self, container: str, name: str = ""):
        """Translate azure-core errors into the interface's error types."""
        try:
            yield
        except ResourceNotFoundError as exc:
            if exc.error_code == "ContainerNotFound":
                raise ContainerNotFoundError(f"The specified container does not exist: {container}") from None
            raise BlobNotFoundError(f"The specified blob does not exist: {container}/{name}") from None
        except (ResourceExistsError, ResourceModifiedError) as exc:
            if exc.error_code in ("BlobAlreadyExists", "ConditionNotMet", None) or exc.status_code in (409, 412):
                raise BlobExistsError(f"The specified blob already exists: {container}/{name}") from None
            raise
        except ServiceRequestError as exc:
            raise BlobStoreUnreachableError(f"Cannot reach blob storage at {self.account_url} ({self.kind}): {exc}. "
                                 "Is Azurite running / is the connection string right?") from None
        except HttpResponseError as exc:
            if exc.error_code in ("InvalidResourceName", "OutOfRangeInput"):
                raise ValueError(f"Invalid container name {container!r} or blob name {name!r}: container names "
                                 "are 3-63 lowercase letters, digits and single hyphens.") from None
            raise

    @staticmethod
    def _info(name: str, size: int, props) -> BlobInfo:
        get = props.get if isinstance(props, dict) else (lambda k: getattr(props, k))
        return BlobInfo(name=name, size=size, etag=_etag(get("etag")), last_modified=get("last_modified"))

    # -- containers --------------------------------------------------------------------
    def create_container(self, container: str) -> None:
        with self._errors(container):
            try:
                self._service.create_container(container)
            except ResourceExistsError:
                pass

    def container_exists(self, container: str) -> bool:
        with self._errors(container):
            return self._service.get_container_client(container).exists()

    def delete_container(self, container: str) -> None:
        try:
            with self._errors(container):
                self._service.delete_container(container)
        except (ContainerNotFoundError, BlobNotFoundError):
            pass

    # -- upload ------------------------------------------------------------------------
    def upload_bytes(self, container: str, name: str, data: bytes, overwrite: bool = True) -> BlobInfo:
        blob = self._blob(container, name)
        with self._errors(container, name):
            resp = blob.upload_blob(data, overwrite=overwrite, length=len(data),
                                    max_concurrency=LARGE_BLOB_CONCURRENCY)
        return self._info(blob.blob_name, len(data), resp)

    def upload_file(self, container: str, name: str, path: str | os.PathLike[str],
                    overwrite: bool = True, max_concurrency: int = LARGE_BLOB_CONCURRENCY) -> BlobInfo:
        blob = self._blob(container, name)
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            data = fh.read() if size <= self.single_put_size else fh
            with self._errors(container, name):
                resp = blob.upload_blob(data, overwrite=overwrite, length=size, max_concurrency=max_concurrency)
        return self._info(blob.blob_name, size, resp)

    def upload_files(self, container: str, items: Iterable[tuple[str, str | os.PathLike[str]]],
                     overwrite: bool = True, max_concurrency: int = 8,
                     progress: ProgressCallback | None = None) -> list[BlobInfo]:
        """Small files go through a thread pool; large ones one at a time, each over parallel blocks."""
        items = list(items)
        sizes = [os.path.getsize(p) for _, p in items]
        total = sum(sizes)
        out: list[BlobInfo | None] = [None] * len(items)
        done = 0

        def report(info: BlobInfo) -> None:
            nonlocal done
            done += info.size
            if progress:
                progress(done, total)

        small = [i for i, s in enumerate(sizes) if s <= self.single_put_size]
        large = [i for i, s in enumerate(sizes) if s > self.single_put_size]
        if 0 < len(small) <= INLINE_SMALL_FILES:  # a step's log and one output: threads cost more than they save
            for i in small:
                out[i] = self.upload_file(container, items[i][0], items[i][1], overwrite, 1)
                report(out[i])
        elif small:
            workers = max(1, min(max_concurrency, len(small)))
            with ThreadPoolExecutor(workers, thread_name_prefix="blob-up") as pool:
                futures = {i: pool.submit(self.upload_file, container, items[i][0], items[i][1], overwrite, 1)
                           for i in small}
                try:
                    for i, fut in futures.items():
                        out[i] = fut.result()
                        report(out[i])
                except BaseException:
                    for fut in futures.values():
                        fut.cancel()
                    raise
        for i in large:
            out[i] = self.upload_file(container, items[i][0], items[i][1], overwrite,
                                      max(max_concurrency, LARGE_BLOB_CONCURRENCY))
            report(out[i])
        return out  # type: ignore[return-value]

    # -- download ----------------------------------------------------------------------
    def download_bytes(self, container: str, name: str) -> bytes:
        with self._errors(container, name):
            return self._blob(container, name).download_blob(max_concurrency=LARGE_BLOB_CONCURRENCY).readall()

    def download_file(self, container: str, name: str, path: str | os.PathLike[str],
                      max_concurrency: int = LARGE_BLOB_CONCURRENCY) -> BlobInfo:
        blob = self._blob(container, name)
        dest = Path(path)
        with self._errors(container, name):
            downloader = blob.download_blob(max_concurrency=max_concurrency)
        with atomic_write(dest) as fh, self._errors(container, name):
            downloader.readinto(fh)
        props = downloader.properties
        return BlobInfo(name=blob.blob_name, size=props.size, etag=_etag(props.etag), last_modified=props.last_modified)

    def download_files(self, container: str, items: Iterable[tuple[str, str | os.PathLike[str]]],
                       max_concurrency: int = 8, progress: ProgressCallback | None = None) -> list[BlobInfo]:
        """Download many blobs through a thread pool; ``progress(files done, files total)``."""
        items = list(items)
        out: list[BlobInfo | None] = [None] * len(items)
        if not items:
            return []
        with ThreadPoolExecutor(max(1, min(max_concurrency, len(items))), thread_name_prefix="blob-down") as pool:
            futures = [pool.submit(self.download_file, container, n, p, 1) for n, p in items]
            try:
                for i, fut in enumerate(futures):
                    out[i] = fut.result()
                    if progress:
                        progress(i + 1, len(items))
            except BaseException:
                for fut in futures:
                    fut.cancel()
                raise
        return out  # type: ignore[return-value]

    # -- copy --------------------------------------------------------------------------
    def copy_blob(self, container: str, name: str, source: BlobStore, source_container: str, source_name: str,
                  overwrite: bool = True, source_info: BlobInfo | None = None, server_side: bool = True) -> BlobInfo:
        """Server-side Copy Blob when both blobs live in one account (Azurite copies within an account);
        otherwise the source's chunks are staged as blocks and committed at the end (never the whole
        blob in memory; nothing is visible under ``name`` before the commit)."""
        info = check_copy(self, container, name, source, source_container, source_name, overwrite, source_info)
        src = getattr(source, "inner", source)
        if not isinstance(src, AzureBlobStore):
            return super().copy_blob(container, name, source, source_container, source_name, overwrite, info)
        if server_side and src.account_url == self.account_url:
            return self._server_copy(container, name, src.url(source_container, source_name), info.size)
        return self._streamed_copy(container, name, src, source_container, source_name, info.size)

    def _server_copy(self, container: str, name: str, source_url: str, size: int) -> BlobInfo:
        blob = self._blob(container, name)
        with self._errors(container, name):
            props = blob.start_copy_from_url(source_url)
            status = props.get("copy_status")
            if status == "success":  # one request: the copy's own answer carries the new etag
                return self._info(blob.blob_name, size, props)
            while status == "pending":  # Azurite answers "success" at once; a real account may take a while
                time.sleep(0.2)
                copy = blob.get_blob_properties().copy
                status = copy.status
            if status != "success":
                self.delete_blob(container, name)
                raise BlobStoreError(f"The copy of {source_url} to {container}/{name} ended with status {status}.")
        info = self.get_info(container, name)
        assert info is not None
        return info

    def _streamed_copy(self, container: str, name: str, src: "AzureBlobStore", source_container: str,
                       source_name: str, size: int) -> BlobInfo:
        """Block ``i`` is the source's byte range ``i``: each worker downloads one range and stages it, so
        at most ``LARGE_BLOB_CONCURRENCY`` blocks are in memory; the commit makes the blob appear whole."""
        target, source = self._blob(container, name), src._blob(source_container, source_name)
        block = self.block_size
        ids = [base64.b64encode(f"{i:08d}".encode()).decode() for i in range((size + block - 1) // block)]

        def copy_range(index: int) -> None:
            offset = index * block
            length = min(block, size - offset)
            with src._errors(source_container, source_name):
                data = source.download_blob(offset=offset, length=length).readall()
            with self._errors(container, name):
                target.stage_block(ids[index], data, length=length)

        with ThreadPoolExecutor(LARGE_BLOB_CONCURRENCY, thread_name_prefix="blob-copy") as pool:
            list(pool.map(copy_range, range(len(ids))))
        with self._errors(container, name):
            target.commit_block_list([BlobBlock(block_id=i) for i in ids])
        info = self.get_info(container, name)
        assert info is not None
        return info

    # -- metadata ----------------------------------------------------------------------
    def get_info(self, container: str, name: str) -> BlobInfo | None:
        blob = self._blob(container, name)
        try:
            with self._errors(container, name):
                props = blob.get_blob_properties()
        except (BlobNotFoundError, ContainerNotFoundError):
            return None
        return BlobInfo(name=blob.blob_name, size=props.size, etag=_etag(props.etag), last_modified=props.last_modified)

    def list_blobs(self, container: str, prefix: str = "") -> Iterator[BlobInfo]:
        """Sorted by name (the service lists in name order); a missing container raises here, not lazily."""
        client = self._service.get_container_client(container)
        pages = client.list_blobs(name_starts_with=prefix.lstrip("/") or None,
                                  results_per_page=5000).by_page()
        with self._errors(container):
            first = list(next(pages, []))
        return self._iter_pages(container, first, pages)

    def _iter_pages(self, container: str, first: list, pages) -> Iterator[BlobInfo]:
        for b in first:
            yield BlobInfo(name=b.name, size=b.size, etag=_etag(b.etag), last_modified=b.last_modified)
        with self._errors(container):
            for page in pages:
                for b in page:
                    yield BlobInfo(name=b.name, size=b.size, etag=_etag(b.etag), last_modified=b.last_modified)

    def delete_blob(self, container: str, name: str) -> None:
        try:
            with self._errors(container, name):
                self._blob(container, name).delete_blob()
        except (BlobNotFoundError, ContainerNotFoundError):
            pass

    def delete_prefix(self, container: str, prefix: str) -> int:
        names = [b.name for b in self.list_blobs(container, prefix)]
        if names:
            with ThreadPoolExecutor(min(8, len(names)), thread_name_prefix="blob-del") as pool:
                list(pool.map(lambda n: self.delete_blob(container, n), names))
        return len(names)

    def url(self, container: str, name: str = "") -> str:
        base = f"{self.account_url}/{container}"
        return f"{base}/{quote(_clean_name(name), safe='/~')}" if name else base

    def close(self) -> None:
        """Close the HTTP session (a no-op for the per-process shared stores of ``open_blob_store``)."""
        if not self._shared:
            self._service.close()


def _etag(etag: str) -> str:
    """Listings return etags bare, properties quoted: always use the quoted HTTP form."""
    return etag if etag.startswith('"') else f'"{etag}"'


def _clean_name(name: str) -> str:
    """Same rule as the folder backend, so both accept exactly the same names."""
    name = name.lstrip("/")
    if not name or any(part in ("..", "") for part in name.split("/")):
        raise ValueError(f"Invalid blob name: {name!r}")
    return name


__all__ = ["AZURITE_API_VERSION", "AzureBlobStore", "AzureError", "is_emulator", "parse_connection_string"]
