"""The network's news feed, the methodology library, files, notifications and the digest
(issue 8)."""
