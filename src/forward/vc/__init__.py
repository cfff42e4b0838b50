"""Verifiable credentials, as a plain library: JSON-LD canonicalization with shipped contexts, the
``eddsa-rdfc-2022`` Data Integrity proof, VC-JWT (RS256), Bitstring Status Lists and verification.

No Django imports: ``forward verify`` uses it offline, and it is tested and benchmarked on its own.
"""
