"""Reaching a running Ray cluster: one bounded probe of its address, and the token it asks for.

A Ray cluster with token authentication (`RAY_AUTH_MODE=token`) rejects every RPC that lacks its token.
Ray 2.60 turns it on unless RAY_AUTH_MODE says otherwise: `ray.init()` starting a local runtime always
(writing a new `~/.ray/auth_token` if there is none), `ray start --head` when a token exists. A client sends
the token only in token mode, and a driver in
token mode also demands the token from the cluster's own processes, so it cannot join a cluster without
authentication: client and cluster must agree. Ray reads the token from `RAY_AUTH_TOKEN`, else the file
`RAY_AUTH_TOKEN_PATH` names, else `~/.ray/auth_token`; but `ray.init(address=...)` never turns token mode
on by itself for an explicit address, and then fails slowly (a Ray client retries for ~30 s, a GCS
client logs a line per retry).

So before `ray.init` joins a cluster, `prepare(address, timeout)` asks it one cheap gRPC question without
a token, with a deadline: no answer in time is `Unreachable`; an answer means an open cluster; the
UNAUTHENTICATED status means it wants a token, which is then looked up the ways Ray reads it and tried
once. This process's `RAY_AUTH_MODE` is then set to the mode the cluster uses, unless the user set it.
"""
import os
import time

AUTH_MODE = "RAY_AUTH_MODE"
HOW_TO_GIVE_A_TOKEN = (
    "Give this process the cluster's token (on the head node `ray get-auth-token` prints it) in one of "
    "the ways Ray reads it: the RAY_AUTH_TOKEN environment variable, a file named by RAY_AUTH_TOKEN_PATH, "
    "or the file ~/.ray/auth_token. See https://docs.ray.io/en/latest/ray-security/token-auth.html")


class Unreachable(ConnectionError):
    """Nothing that speaks Ray answered at the address in time."""


class Unauthenticated(PermissionError):
    """The cluster wants a token this process does not have (or has the wrong one)."""


def resolve(address):
    """The address `ray.init(address)` would join ("auto" and None: RAY_ADDRESS or the local cluster)."""
    if address in (None, "auto"):
        address = os.environ.get("RAY_ADDRESS") or address
    if address in (None, "auto"):
        from ray._private import services
        try:
            address = services.canonicalize_bootstrap_address(address)
        except (ConnectionError, ValueError) as e:
            raise Unreachable(f"no running Ray cluster found on this machine: {e}") from None
        if address is None:
            raise Unreachable("no running Ray cluster found on this machine")
    return address


def prepare(address, timeout):
    """Checks that the cluster at `address` answers within `timeout` s and sets this process's auth mode
    to the cluster's; raises Unreachable or Unauthenticated (never waits longer than `timeout`)."""
    deadline = time.monotonic() + timeout
    address = resolve(address)
    user_mode = os.environ.get(AUTH_MODE)
    if probe(address, None, timeout) == "open":
        if user_mode is None:  # so that ray.init("auto") does not turn token mode on because a token exists
            _set_mode("disabled")
        return address
    if user_mode not in (None, "token"):
        raise Unauthenticated(f"The Ray cluster at {address} requires token authentication, but "
                              f"{AUTH_MODE}={user_mode} here: unset it (raygraph then uses the token mode "
                              f"when it finds a token) or set {AUTH_MODE}=token. {HOW_TO_GIVE_A_TOKEN}")
    metadata, source_error = token_metadata()
    if metadata is None:
        reason = f" ({source_error})" if source_error else ""
        raise Unauthenticated(f"The Ray cluster at {address} requires token authentication, and this "
                              f"process has no token for it{reason}. {HOW_TO_GIVE_A_TOKEN}")
    if probe(address, metadata, max(0.5, deadline - time.monotonic())) != "open":
        raise Unauthenticated(f"The Ray cluster at {address} rejected this process's token: it is not that "
                              f"cluster's token. {HOW_TO_GIVE_A_TOKEN}")
    if user_mode is None:
        _set_mode("token")
    return address


def probe(address, metadata, timeout):
    """"open" if the cluster answers a call made with `metadata` (None: no token), "token" if it refuses it
    as unauthenticated; Unreachable if nothing that speaks Ray answers within `timeout` s."""
    import grpc
    client = address.startswith("ray://")
    target = address[len("ray://"):] if client else address
    channel = grpc.insecure_channel(target)
    try:
        if client:  # the Ray client server (ray://)
            from ray.core.generated import ray_client_pb2, ray_client_pb2_grpc
            ray_client_pb2_grpc.RayletDriverStub(channel).ClusterInfo(
                ray_client_pb2.ClusterInfoRequest(type=ray_client_pb2.ClusterInfoType.PING),
                timeout=timeout, metadata=metadata)
        else:       # the cluster's GCS
            from ray.core.generated import gcs_service_pb2, gcs_service_pb2_grpc
            gcs_service_pb2_grpc.NodeInfoGcsServiceStub(channel).GetClusterId(
                gcs_service_pb2.GetClusterIdRequest(), timeout=timeout, metadata=metadata)
        return "open"
    except grpc.RpcError as e:
        code = e.code()
        if code == grpc.StatusCode.UNAUTHENTICATED:
            return "token"
        if code == grpc.StatusCode.DEADLINE_EXCEEDED:
            raise Unreachable(f"no answer from {address} within {timeout:g} s") from None
        if code == grpc.StatusCode.UNAVAILABLE:
            raise Unreachable(f"nothing answers at {address}: {e.details()}") from None
        what = "Ray client server" if client else "Ray cluster (GCS) address"
        raise Unreachable(f"{address} is not a {what}: {code.name} {e.details()}") from None
    finally:
        channel.close()


def token_metadata():
    """(gRPC metadata carrying the token Ray would use, None) or (None, why there is none)."""
    try:
        from ray._raylet import AuthenticationTokenLoader
    except ImportError:  # a Ray without token authentication
        return None, "this Ray has no token authentication"
    loader = AuthenticationTokenLoader.instance()
    loader.reset_cache()  # the environment or the token file may have changed since the last look
    try:
        header = loader.get_token_for_http_header(ignore_auth_mode=True)
    except Exception as e:  # noqa: BLE001 - Ray's AuthenticationError: a token file it cannot read
        path = os.environ.get("RAY_AUTH_TOKEN_PATH")
        return None, (f"RAY_AUTH_TOKEN_PATH names {path!r}, which cannot be read or is empty" if path
                      else type(e).__name__)
    if not header:
        return None, None
    return tuple((k.lower(), v) for k, v in header.items()), None


def _set_mode(mode):
    """This process (and its children) now run in auth mode `mode`, as Ray's own switch does."""
    os.environ[AUTH_MODE] = mode
    try:
        from ray._raylet import AuthenticationTokenLoader, Config
    except ImportError:
        return
    Config.initialize("")  # the cached RayConfig reads RAY_AUTH_MODE again
    AuthenticationTokenLoader.instance().reset_cache()
