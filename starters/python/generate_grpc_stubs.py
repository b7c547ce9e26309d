"""Python stubs for the gRPC starters (grpc_server.py, gateway_server.py, grpc_websocket_server.py).

Run from this folder, in the venv of requirements.txt (the same line in PowerShell and zsh):

    python generate_grpc_stubs.py          # into ./gen, where the starters look (GRPC_STUBS=<dir> elsewhere)
    python generate_grpc_stubs.py OUT_DIR

The compiler is grpcio-tools' (`python -m grpc_tools.protoc`, pinned in requirements.txt) when it
is installed and new enough for the proto3 `optional` fields of users.proto; otherwise `protoc`
with `grpc_python_plugin` from PATH (Debian: protobuf-compiler, protobuf-compiler-grpc, what
Wirelab's CI uses; Debian's python3-grpc-tools is too old for `optional`).

Заглушки Python для gRPC-стартеров: `python generate_grpc_stubs.py` в venv из requirements.txt.

The health service is generated from proto/grpc/, so its Python package is `health.v1`, not
`grpc.health.v1`, which would hide the grpc library itself.
"""

import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROTO = HERE.parent.parent / "proto"
USERS = ["wirelab/users/v1/users.proto", "google/api/annotations.proto", "google/api/http.proto",
         "google/rpc/status.proto", "google/rpc/error_details.proto"]
# the first grpcio-tools whose protoc takes proto3 `optional` without an experimental flag
OLDEST_TOOLS = (1, 36)


def grpc_tools_version():
    """grpcio-tools' version as a tuple, or None when it is not installed."""
    try:
        return tuple(int(part) for part in metadata.version("grpcio-tools").split(".")[:2])
    except (metadata.PackageNotFoundError, ValueError):
        return None


def compiler():
    """The protoc command line (with its gRPC plugin option) this machine has."""
    tools = grpc_tools_version()
    if tools is not None and tools >= OLDEST_TOOLS:
        return [sys.executable, "-m", "grpc_tools.protoc"], "--grpc_python_out"
    protoc, plugin = shutil.which("protoc"), shutil.which("grpc_python_plugin")
    if protoc and plugin:
        return [protoc, f"--plugin=protoc-gen-grpc={plugin}"], "--grpc_out"
    sys.exit("No gRPC compiler: run `pip install -r requirements.txt` (grpcio-tools) in your venv, "
             "or install protoc and grpc_python_plugin (Debian: protobuf-compiler protobuf-compiler-grpc).")


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "gen"
    out.mkdir(parents=True, exist_ok=True)
    command, grpc_out = compiler()
    runs = [
        [f"-I{PROTO}", f"-I{PROTO / 'vendor'}", *USERS],
        [f"-I{PROTO / 'grpc'}", "health/v1/health.proto"],
    ]
    for arguments in runs:
        subprocess.run([*command, f"--python_out={out}", f"{grpc_out}={out}", *arguments], check=True)
    print(f"stubs in {out}")


if __name__ == "__main__":
    main()
