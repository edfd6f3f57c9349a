"""Blob storage behind one interface: Azurite / Azure (azure-storage-blob) or a plain folder.

Use :func:`azureml_local.store.blobs.factory.open_blob_store` to get the
workspace's store; code above this layer never imports azure-storage-blob.
"""
from azureml_local.store.blobs.base import BlobInfo, BlobNotFoundError, BlobStore, ContainerNotFoundError

__all__ = ["BlobInfo", "BlobNotFoundError", "BlobStore", "ContainerNotFoundError"]
