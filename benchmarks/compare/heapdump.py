#!/usr/bin/env python3
"""What an idle connection keeps alive, read from the files idle-heap.sh writes (no tool but Python 3).

  heapdump.py perconn EMPTY.histo IDLE.histo N     bytes and objects per connection, by class
                                                   (class histograms: sizes as the JVM counts them)
  heapdump.py path IDLE.hprof CLASS                the shortest chain from a GC root to one instance
                                                   of CLASS (the middle one), field by field
  heapdump.py retains IDLE.hprof CLASS [N]         what would be freed if CLASS's instances were:
                                                   objects reachable only through them, by class
                                                   (per connection when N is given)

CLASS is a Java name (io.netty.channel.DefaultChannelHandlerContext, a.b.Outer$Inner). Sizes from a
dump are estimated for compressed oops (12-byte headers, 4-byte references, 8-byte alignment). The
reader follows HPROF 1.0.2 with 8-byte identifiers, as HotSpot writes it (jcmd GC.heap_dump).
"""
import collections
import mmap
import re
import struct
import sys

SIZES = {2: 8, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
PRIMITIVE_ARRAYS = {4: 'boolean[]', 5: 'char[]', 6: 'float[]', 7: 'double[]', 8: 'byte[]', 9: 'short[]',
                    10: 'int[]', 11: 'long[]'}
U8 = struct.Struct('>Q').unpack_from
U4 = struct.Struct('>I').unpack_from
U2 = struct.Struct('>H').unpack_from


class Heap:
    """The objects, classes and GC roots of a heap dump, and the references between them."""

    def __init__(self, path):
        f = open(path, 'rb')
        m = self.m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        p = m.find(b'\0') + 1
        if U4(m, p)[0] != 8:
            sys.exit('heapdump: only 8-byte identifiers are supported')
        p += 12
        strings, self.names = {}, {}
        self.classes, self.instances, self.object_arrays, self.primitive_arrays = {}, {}, {}, {}
        self.roots = set()
        root_sizes = {0xFF: 8, 0x01: 16, 0x02: 16, 0x03: 16, 0x04: 12, 0x05: 8, 0x06: 12, 0x07: 8, 0x08: 16}
        while p < len(m):
            tag, length = m[p], U4(m, p + 5)[0]
            body, p = p + 9, p + 9 + length
            if tag == 0x01:
                strings[U8(m, body)[0]] = m[body + 8:body + length].decode('utf8', 'replace')
            elif tag == 0x02:
                self.names[U8(m, body + 4)[0]] = strings.get(U8(m, body + 16)[0], '?').replace('/', '.')
            elif tag in (0x0C, 0x1C):
                q = body
                while q < p:
                    sub = m[q]
                    q += 1
                    if sub in root_sizes:
                        self.roots.add(U8(m, q)[0])
                        q += root_sizes[sub]
                    elif sub == 0x20:
                        q = self._class(q, strings)
                    elif sub == 0x21:
                        self.instances[U8(m, q)[0]] = (U8(m, q + 12)[0], q + 24)
                        q += 24 + U4(m, q + 20)[0]
                    elif sub == 0x22:
                        n = U4(m, q + 12)[0]
                        self.object_arrays[U8(m, q)[0]] = (U8(m, q + 16)[0], q + 24, n)
                        q += 24 + 8 * n
                    elif sub == 0x23:
                        n, t = U4(m, q + 12)[0], m[q + 16]
                        self.primitive_arrays[U8(m, q)[0]] = (t, n)
                        q += 17 + n * SIZES[t]
                    else:
                        sys.exit('heapdump: unknown heap record 0x%x' % sub)
        self._layouts = {}

    def _class(self, q, strings):
        m = self.m
        cid, superclass = U8(m, q)[0], U8(m, q + 12)[0]
        q += 64
        n = U2(m, q)[0]  # constant pool: skipped
        q += 2
        for _ in range(n):
            q += 3 + SIZES[m[q + 2]]
        n = U2(m, q)[0]
        q += 2
        statics = []
        for _ in range(n):
            t = m[q + 8]
            if t == 2:
                statics.append(U8(m, q + 9)[0])
            q += 9 + SIZES[t]
        n = U2(m, q)[0]
        q += 2
        fields = []
        for _ in range(n):
            fields.append((strings.get(U8(m, q)[0], '?'), m[q + 8]))
            q += 9
        self.classes[cid] = (superclass, fields, statics)
        return q

    def fields(self, cid):
        if cid not in self._layouts:
            out, c = [], cid
            while c in self.classes:
                superclass, fields, _ = self.classes[c]
                out.extend(fields)
                c = superclass
            self._layouts[cid] = out
        return self._layouts[cid]

    def name(self, o):
        if o in self.instances:
            return self.names.get(self.instances[o][0], '?')
        if o in self.object_arrays:
            return self.names.get(self.object_arrays[o][0], '?')
        if o in self.primitive_arrays:
            return PRIMITIVE_ARRAYS[self.primitive_arrays[o][0]]
        if o in self.classes:
            return 'class ' + self.names.get(o, '?')
        return '?'

    def size(self, o):
        if o in self.instances:
            s = 12 + sum(4 if t == 2 else SIZES[t] for _, t in self.fields(self.instances[o][0]))
        elif o in self.object_arrays:
            s = 16 + 4 * self.object_arrays[o][2]
        elif o in self.primitive_arrays:
            t, n = self.primitive_arrays[o]
            s = 16 + n * SIZES[t]
        else:
            return 0
        return (s + 7) & ~7

    def references(self, o):
        m = self.m
        if o in self.instances:
            cid, q = self.instances[o]
            for field, t in self.fields(cid):
                if t == 2:
                    r = U8(m, q)[0]
                    if r:
                        yield field, r
                q += SIZES[t]
        elif o in self.object_arrays:
            _, q, n = self.object_arrays[o]
            for i in range(n):
                r = U8(m, q + 8 * i)[0]
                if r:
                    yield '[]', r
        elif o in self.classes:
            for r in self.classes[o][2]:
                if r:
                    yield 'static', r

    def reachable(self, stop=lambda o: False):
        seen, stack = set(), list(self.roots)
        while stack:
            o = stack.pop()
            if o in seen:
                continue
            seen.add(o)
            if not stop(o):
                stack.extend(r for _, r in self.references(o) if r not in seen)
        return seen

    def of_class(self, name):
        return [o for o in list(self.instances) + list(self.object_arrays) if self.name(o) == name]


def histogram(path):
    rows = {}
    for line in open(path):
        found = re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)', line)
        if found:
            rows[found.group(3)] = (int(found.group(1)), int(found.group(2)))
    return rows


def perconn(empty, idle, n):
    before, after = histogram(empty), histogram(idle)
    rows = []
    for name, (count, size) in after.items():
        count0, size0 = before.get(name, (0, 0))
        rows.append(((size - size0) / n, (count - count0) / n, name))
    rows.sort(reverse=True)
    print('%.0f bytes of live heap per connection' % sum(r[0] for r in rows))
    for per, count, name in rows[:60]:
        print('%8.1f B  %5.2f  %s' % (per, count, name))


def path(dump, cls):
    heap = Heap(dump)
    targets = heap.of_class(cls)
    if not targets:
        sys.exit('heapdump: no instance of ' + cls)
    incoming = collections.defaultdict(list)
    for o in list(heap.instances) + list(heap.object_arrays) + list(heap.classes):
        for field, r in heap.references(o):
            incoming[r].append((o, field))
    start = targets[len(targets) // 2]
    came = {start: None}
    frontier, root = [start], None
    while frontier and root is None:
        following = []
        for o in frontier:
            if o in heap.roots:
                root = o
                break
            for holder, field in incoming.get(o, []):
                if holder not in came:
                    came[holder] = (o, field)
                    following.append(holder)
        frontier = following
    if root is None:
        sys.exit('heapdump: no path from a root (the dump was not of live objects?)')
    print('%d instances of %s; from a GC root to one of them:' % (len(targets), cls))
    o = root
    while o is not None:
        step = came[o]
        print('   %s%s' % (heap.name(o), ('  .' + step[1]) if step else ''))
        o = step[0] if step else None


def retains(dump, cls, n):
    heap = Heap(dump)
    everything = heap.reachable()
    without = heap.reachable(lambda o: heap.name(o) == cls)
    freed = everything - without
    count, size = collections.Counter(), collections.Counter()
    for o in freed:
        count[heap.name(o)] += 1
        size[heap.name(o)] += heap.size(o)
    total = sum(size.values())
    per = ' (%.0f B per connection)' % (total / n) if n else ''
    print('%s retains %d objects, %d bytes%s' % (cls, len(freed), total, per))
    for name, b in size.most_common(40):
        print('%10d B %8d  %s' % (b, count[name], name))


if __name__ == '__main__':
    args = sys.argv[1:]
    if len(args) == 4 and args[0] == 'perconn':
        perconn(args[1], args[2], int(args[3]))
    elif len(args) == 3 and args[0] == 'path':
        path(args[1], args[2])
    elif len(args) in (3, 4) and args[0] == 'retains':
        retains(args[1], args[2], int(args[3]) if len(args) == 4 else 0)
    else:
        sys.exit(__doc__)
