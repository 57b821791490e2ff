from zhitu.cli import run

run()
