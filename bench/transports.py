"""How device links send tensors: raygraph's frames on its step channel against Arrow Flight's do_put.

    python bench/transports.py

One float32 tensor of 1 KB, 1 MB and 16 MB sent to a server thread in this process and acknowledged:
with raygraph's framing (channel.py: a small pickle, the buffer as a raw frame) over a Unix socket, and
with `pyarrow.flight` (a table written through do_put, gRPC over TCP loopback). Medians of 30.
"""
import os
import statistics
import sys
import threading
import time
from multiprocessing.connection import Client, Listener

import numpy as np
import pyarrow as pa
import pyarrow.flight as flight

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from scheduler.channel import receive_message, send_message  # noqa: E402


class Sink(flight.FlightServerBase):
    def do_put(self, context, descriptor, reader, writer):
        reader.read_all()


def main():
    server = Sink("grpc://127.0.0.1:0")
    threading.Thread(target=server.serve, daemon=True).start()
    client = flight.connect(f"grpc://127.0.0.1:{server.port}")

    def flight_put(arr):
        table = pa.table({"x": arr})
        writer, _ = client.do_put(flight.FlightDescriptor.for_path("k"), table.schema)
        writer.write_table(table)
        writer.close()

    listener = Listener(family="AF_UNIX")

    def serve():
        conn = listener.accept()
        try:
            while True:
                receive_message(conn, {})
                conn.send_bytes(b"k")
        except (EOFError, OSError):  # the client went away at exit
            pass
    threading.Thread(target=serve, daemon=True).start()
    conn = Client(listener.address, family="AF_UNIX")

    def frames(arr):
        send_message(conn, ("tensor", "step", "key", arr))
        conn.recv_bytes()

    for n in (256, 1 << 18, 1 << 22):
        arr = np.ones(n, np.float32)
        for name, send in (("arrow_flight", flight_put), ("raygraph_frames", frames)):
            for _ in range(3):
                send(arr)
            times = []
            for _ in range(30):
                start = time.perf_counter()
                send(arr)
                times.append(time.perf_counter() - start)
            print(f"{name}_{arr.nbytes}B\t{statistics.median(times) * 1e3:.3f}\tms")


if __name__ == "__main__":
    main()
