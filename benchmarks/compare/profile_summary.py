#!/usr/bin/env python3
"""Summary of one profile.sh run: the load generator's figures, system calls per delivered event
(perf stat) and, for the relay, where its CPU samples went per 1,000 delivered events.

    profile_summary.py PREFIX WINDOW_SECONDS
"""
import collections
import json
import re
import sys

prefix, window = sys.argv[1], float(sys.argv[2])
result = None
for line in open(prefix + '.json'):
    if line.startswith('{'):
        result = json.loads(line)
if not result or not result.get('loadgen', {}).get('delivered_per_s'):
    print(prefix, 'no result')
    sys.exit(1)
lg = result['loadgen']
lat = lg['latency_ms']
delivered = lg['delivered_per_s']
cpu = lg.get('server_cpu_pct') or 0
counts = {}
try:
    for line in open(prefix + '.perfstat'):
        m = re.match(r'\s*([\d,]+)\s+(\S+)', line)
        if m:
            counts[m.group(2)] = float(m.group(1).replace(',', ''))
except FileNotFoundError:
    pass
events = delivered * window


def per_event(key):
    return counts.get(key, 0) / events if events else 0


print('%s: delivered %.0f/s (%.2f %%), p50 %.2f ms, p99 %.2f ms, server %.1f %% CPU = %.2f us/event, loadgen %.1f %%'
      % (prefix, delivered, 100 * lg['delivery_ratio'], lat['p50'], lat['p99'], cpu, cpu * 1e4 / delivered,
         lg.get('loadgen_cpu_pct') or 0))
print('  per delivered event: syscalls %.3f (write %.3f, writev %.3f, read %.3f, epoll_wait %.3f), context switches %.3f'
      % (per_event('raw_syscalls:sys_enter'), per_event('syscalls:sys_enter_write'), per_event('syscalls:sys_enter_writev'),
         per_event('syscalls:sys_enter_read'),
         per_event('syscalls:sys_enter_epoll_wait') + per_event('syscalls:sys_enter_epoll_pwait'), per_event('context-switches')))
try:
    stacks = open(prefix + '.collapsed').read().splitlines()
except FileNotFoundError:
    sys.exit(0)
per_k = events / 1000.0
total = 0
threads = collections.Counter()
inclusive = collections.Counter()
selfs = collections.Counter()
keys = ['ksys_write', 'do_writev', 'ksys_read', 'do_epoll_wait', 'Outbox.flush', 'WireFanout', 'Outgoing.into',
        'Universe.apply', 'WebSocketFrameReader.channelRead', 'WebSocket08FrameEncoder', 'LoopFlusher',
        'ConcurrentLinkedQueue', 'eventfd', 'wakeup']
for line in stacks:
    stack, n = line.rsplit(' ', 1)
    n = int(n)
    total += n
    frames = stack.split(';')
    if 'SingleThreadIoEventLoop.run' in stack:
        threads['event loops'] += n
        for key in keys:
            if any(key in f for f in frames):
                inclusive[key] += n
        selfs[frames[-1]] += n
    elif 'CompileBroker' in stack:
        threads['JIT compilers'] += n
    elif 'GC' in stack or 'G1' in stack:
        threads['GC'] += n
    else:
        threads['other'] += n
print('  CPU samples (1 ms) per 1,000 delivered events: all %.2f; %s'
      % (total / per_k, ', '.join('%s %.2f' % (k, v / per_k) for k, v in threads.most_common())))
print('  in the event loops, inclusive: ' + ', '.join('%s %.2f' % (k, v / per_k) for k, v in inclusive.most_common()))
print('  in the event loops, top self frames: ' + ', '.join('%s %.1f %%' % (k, 100.0 * v / max(1, threads['event loops']))
                                                           for k, v in selfs.most_common(8)))
