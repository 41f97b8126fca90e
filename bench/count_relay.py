#!/usr/bin/env python3
"""count_relay.py LISTEN_PORT TARGET_PORT OUT: a TCP relay on loopback that counts the bytes
each way and the connections, writing them to OUT as "up down connections" after every
chunk (bench/idle_traffic.sh reads it). LISTEN_PORT 0: any free one, printed on stdout."""
import asyncio
import sys

up = down = conns = 0


def save():
    with open(sys.argv[3] + ".tmp", "w") as f:
        f.write("%d %d %d\n" % (up, down, conns))
    import os
    os.replace(sys.argv[3] + ".tmp", sys.argv[3])


async def pipe(reader, writer, way):
    global up, down
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            if way == "up":
                up += len(data)
            else:
                down += len(data)
            save()
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def handle(reader, writer):
    global conns
    conns += 1
    save()
    try:
        r2, w2 = await asyncio.open_connection("127.0.0.1", int(sys.argv[2]))
    except OSError:
        writer.close()
        return
    await asyncio.gather(pipe(reader, w2, "up"), pipe(r2, writer, "down"))


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", int(sys.argv[1]))
    print("listening on port %d" % server.sockets[0].getsockname()[1], flush=True)
    save()
    async with server:
        await server.serve_forever()


asyncio.run(main())
