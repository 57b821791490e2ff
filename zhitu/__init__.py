"""知图 zhitu: Chinese local news pages in, a knowledge graph out."""

__version__ = "0.1.0"
