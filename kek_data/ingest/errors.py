"""Old place of the upload's errors; they live in :mod:`kek_data.errors` (one place).

Kept only as a re-export while the ingest modules are being edited by several people at once;
every import in the tree reads ``from kek_data.errors import …``. To be deleted.
"""

from kek_data.errors import *  # noqa: F403
