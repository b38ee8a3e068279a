"""tf.train.Server tasks hosted in this process are reached by the grpc:// address their cluster spec gives them
(TF1 programs that start their servers in-process and then open Session("grpc://host:port")); other grpc://
addresses stay a clear InvalidArgumentError naming the targets raygraph takes."""
import pytest


def test_a_grpc_address_of_an_in_process_task_reaches_the_cluster(rtf):
    tf = rtf
    spec = tf.train.ClusterSpec({"ps": ["127.0.0.1:2321"], "worker": ["127.0.0.1:2323", "127.0.0.1:2324"]})
    servers = [tf.train.Server(spec, job_name=j, task_index=i) for j, i in (("ps", 0), ("worker", 0), ("worker", 1))]
    with tf.device("/job:ps"):
        a = tf.Variable(1.0, name="a")
    with tf.device("/job:worker"):
        b = a + 2
    with tf.device("/job:worker/task:1"):
        c = a + b
    with tf.Session("grpc://127.0.0.1:2321") as sess:
        sess.run(a.initializer)
        assert c.eval() == 4.0
    with tf.Session(servers[2].target) as sess:
        assert sess.run(a) == 1.0  # the same variable: the ps task keeps it between sessions
    with pytest.raises(tf.errors.InvalidArgumentError, match="Session"):
        tf.Session("grpc://127.0.0.1:2399")


def test_create_local_cluster_gives_each_task_its_own_port_and_runs_across_them(rtf):
    """tf.test.create_local_cluster(3, 2): five tasks at five distinct localhost ports (ports picked while all are
    held, so none is handed out twice), and a step placed across the ps and worker tasks runs."""
    tf = rtf
    workers, ps = tf.test.create_local_cluster(3, 2)
    cluster = workers[0].server_def.cluster
    addresses = [task for job in cluster.job for task in job.tasks.values()]
    assert len(addresses) == 5 and len(set(addresses)) == 5
    with tf.Graph().as_default():
        with tf.device("/job:ps/task:1"):
            a = tf.constant(3.0)
        with tf.device("/job:worker/task:2"):
            b = a * 2
        with tf.Session(workers[0].target) as sess:
            assert sess.run(b) == 6.0
