"""``python -m zcp.schemas``: regenerate the shipped JSON Schema files from the models."""

from zcp.schemas import write_all

for path in write_all():
    print(path)
