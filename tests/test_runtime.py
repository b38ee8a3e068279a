"""The device actors of local sessions: what a pooled actor keeps (or not) after its sessions end."""
import os
import time

import numpy as np


def _device_pid(sess):
    import ray
    client = sess._runtime.client
    return ray.get(client.handle(client.devices[0][0]).actor.info.remote())["pid"]


def _open(pid):
    """(descriptors, descriptors of shared-memory segments, mapped shared-memory segments) of a process."""
    fds = os.listdir(f"/proc/{pid}/fd")
    shm = 0
    for fd in fds:
        try:
            shm += "/psm_" in os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:  # closed meanwhile
            pass
    with open(f"/proc/{pid}/maps") as f:
        maps = sum("/psm_" in line for line in f)
    return len(fds), shm, maps


def test_a_pooled_device_keeps_no_descriptor_or_shared_memory_of_ended_sessions(rtf):
    """Issue 15.2: every session that fed through shared memory left its segment's descriptor (and with it
    the client's unlinked segment) in the pooled device: 2,000 sessions, 2,000 descriptors."""
    tf = rtf
    x = tf.placeholder(tf.float32, [None])
    total = tf.reduce_sum(x)
    feed = np.ones(1 << 18, np.float32)  # 1 MiB: through the channel's shared-memory segment
    baseline = {}
    for _ in range(200):
        with tf.Session() as sess:
            assert sess.run(total, {x: feed}) == feed.size
            pid = _device_pid(sess)
            if pid not in baseline:
                baseline[pid] = _open(pid)[0]
    for pid, before in baseline.items():
        for _ in range(100):  # the device lets go when it sees the connection close (at most 5 s)
            fds, shm, maps = _open(pid)
            if fds <= before and shm == 0 and maps == 0:
                break
            time.sleep(0.05)
        assert (shm, maps) == (0, 0) and fds <= before, (pid, before, fds, shm, maps)
