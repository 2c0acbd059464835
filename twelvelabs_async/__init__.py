"""An asyncio-native SDK for the Twelve Labs Embed API."""

__version__ = "0.1.0"
__all__ = ["__version__"]
