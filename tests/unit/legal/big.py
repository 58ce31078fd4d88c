# Writes a legal table file one byte over the loader's limit (1 MiB):
# comments only, so that the size alone is what refuses it.
import sys
limit = 1024 * 1024
line = '# ' + 'x' * 77 + '\n'
data = line * (limit // len(line) + 1)
with open(sys.argv[1], 'w') as f:
    f.write(data[:limit + 1])
