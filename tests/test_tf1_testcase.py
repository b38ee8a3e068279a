"""A TF1 project's unit tests, written against tf.test.TestCase as TF1 code writes them, run on raygraph."""
import os

import numpy as np
import pytest

import raygraph as tf

pytestmark = pytest.mark.usefixtures("ray_runtime")  # the suite's shared Ray runtime (pytest only)


class MathTest(tf.test.TestCase):

    def testAddInSession(self):
        x = tf.constant([1.0, 2.0])
        y = x + tf.constant([0.5, 0.25])
        with self.session() as sess:
            self.assertAllClose(sess.run(y), [1.5, 2.25])
            self.assertAllClose(y.eval(), np.array([1.5, 2.25], np.float32))

    def testCachedSessionIsReused(self):
        v = tf.Variable(3.0)
        with self.cached_session() as s1:
            s1.run(tf.global_variables_initializer())
        with self.cached_session() as s2:
            self.assertIs(s1, s2)
            self.assertAllClose(v.eval(), 3.0)

    def testEachTestHasAFreshGraph(self):
        self.assertEqual(tf.get_default_graph().get_operations(), [])
        self.assertEqual(tf.constant(1.0).name, "Const:0")

    def testEvaluateNested(self):
        a, b = tf.constant([1, 2]), tf.constant(3.5)
        self.assertAllEqual(self.evaluate({"a": a, "b": [b]})["a"], [1, 2])
        self.assertAllClose(self.evaluate({"a": a, "b": [b]}), {"a": [1, 2], "b": [3.5]})

    def testAssertRaisesOpError(self):
        x = tf.placeholder(tf.float32, [2])
        check = tf.debugging.assert_equal(x, [1.0, 2.0], message="values differ")
        with self.session() as sess:
            sess.run(check, {x: [1.0, 2.0]})
            with self.assertRaisesOpError("values differ"):
                sess.run(check, {x: [1.0, 5.0]})
            with self.assertRaisesOpError(r"Tensor had NaN values"):
                sess.run(tf.check_numerics(x, "x"), {x: [np.nan, 1.0]})

    def testAssertionsFailWhenTheyShould(self):
        with self.assertRaises(AssertionError):
            self.assertAllClose([1.0, 2.0], [1.0, 2.1])
        with self.assertRaises(AssertionError):
            self.assertAllEqual([1, 2], [1, 2, 3])
        with self.assertRaises(AssertionError):
            with self.assertRaisesOpError("anything"):
                pass
        self.assertAllClose(np.float16(1.0), np.float16(1.0005))   # half precision's tolerance
        self.assertAllEqual([np.nan, 1.0], [np.nan, 1.0])
        self.assertAllInRange([0.0, 0.5, 1.0], 0.0, 1.0)
        with self.assertRaises(AssertionError):
            self.assertAllInRange([0.0, 1.0], 0.0, 1.0, open_upper_bound=True)
        self.assertNotAllClose([1.0], [2.0])

    def testShapesAndTempDir(self):
        x = tf.placeholder(tf.float32, [2, 3])
        self.assertShapeEqual(np.zeros((2, 3)), x)
        self.assertTrue(os.path.isdir(self.get_temp_dir()))
        self.assertEqual(self.get_temp_dir(), self.get_temp_dir())

    def testSeededRandomOpsRepeat(self):
        first = self.evaluate(tf.random_uniform([3]))   # setUp seeded the default graph
        g = tf.Graph()
        with g.as_default():
            tf.set_random_seed(87654321)
            again = tf.random_uniform([3])
        with self.session(graph=g) as sess:
            self.assertAllClose(first, sess.run(again))

    def testGradientCheck(self):
        x = tf.constant([[1.0, 2.0], [3.0, 4.0]], dtype=tf.float64)
        y = tf.reduce_sum(tf.square(x) * tf.sin(x), axis=1)
        with self.cached_session():
            theoretical, numerical = tf.test.compute_gradient(x, [2, 2], y, [2])
            self.assertEqual(theoretical.shape, (4, 2))
            self.assertAllClose(theoretical, numerical, atol=1e-5)
            err = tf.test.compute_gradient_error(x, [2, 2], y, [2], x_init_value=np.ones((2, 2)))
            self.assertLess(err, 1e-5)

    def testBuildQueries(self):
        self.assertFalse(tf.test.is_gpu_available())
        self.assertEqual(tf.test.gpu_device_name(), "")
        self.assertFalse(tf.test.is_built_with_cuda())


if __name__ == "__main__":
    tf.test.main()
