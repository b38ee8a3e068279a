"""make_template: variables made on the first call, shared by later calls; scope and op names."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def case_template_shares_variables(tf):
    def linear(x, units=3):
        w = tf.get_variable("w", [2, units], initializer=tf.constant_initializer(0.5))
        b = tf.get_variable("b", [units], initializer=tf.zeros_initializer())
        return tf.matmul(x, w) + b
    t = tf.make_template("linear", linear, units=2)
    x = tf.constant([[1.0, 2.0]])
    y1, y2 = t(x), t(x * 2.0)
    t2 = tf.make_template("linear", linear)
    y3 = t2(x)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        vals = s.run([y1, y2, y3])
    return [y1.name, y2.name, y3.name, [v.name for v in tf.global_variables()], t.name, t.variable_scope.name,
            t.variable_scope_name, [v.name for v in t.trainable_variables], [v.name for v in t.variables],
            [v.name for v in t2.global_variables], t.non_trainable_variables, vals]


def case_template_create_scope_now_and_nesting(tf):
    def f(x):
        v = tf.get_variable("v", [], initializer=tf.ones_initializer())
        return tf.identity(x + v, name="out")
    with tf.variable_scope("outer"):
        t = tf.make_template("tmpl", f, create_scope_now_=True)
        t_later = tf.make_template("tmpl", f, create_scope_now_=True)
    a = t(1.0)
    b = t(2.0)
    with tf.variable_scope("elsewhere"):
        c = t(3.0)
    d = t_later(4.0)
    u = tf.make_template("u", f, unique_name_="custom")
    e = u(5.0)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        vals = s.run([a, b, c, d, e])
    return [t.variable_scope.name, t_later.variable_scope.name, a.name, b.name, c.name, d.name, e.name,
            [v.name for v in tf.global_variables()], vals, u.variable_scope.name]


def case_template_errors(tf):
    def makes_variable(x):
        return x * tf.Variable(2.0, name="bad")

    t = tf.make_template("m", makes_variable)
    first = t(1.0)
    return [first.name, raises(lambda: t(2.0)), raises(lambda: tf.make_template(None, makes_variable)),
            [v.name for v in tf.global_variables()]]
