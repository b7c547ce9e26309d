"""What every starter prints once it listens: `LISTENING <port>` (the tests and scripts wait for
that line), then the address(es) to give Wirelab.

In class Wirelab runs on the teacher's laptop and connects to yours over the room's network, so
your server must listen on the network (`--host 0.0.0.0`), not on 127.0.0.1, which only this
machine reaches. With 0.0.0.0 the addresses printed are this machine's LAN addresses.
"""
import socket

EVERY_INTERFACE = ("0.0.0.0", "::", "")


def addresses_for_wirelab(host, port):
    """host:port pairs Wirelab can reach: the host given, or this machine's LAN addresses for 0.0.0.0."""
    if host not in EVERY_INTERFACE:
        return [f"{host}:{port}"]
    found = set()
    try:
        found.update(info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET))
    except OSError:
        pass
    try:  # the address this machine reaches the network from; a UDP connect sends no packet
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            found.add(probe.getsockname()[0])
    except OSError:
        pass
    lan = sorted(address for address in found if not address.startswith("127.") and address != "0.0.0.0")
    return [f"{address}:{port}" for address in lan] or [f"127.0.0.1:{port}"]


def announce(host, port):
    """Prints LISTENING <port> and where Wirelab reaches this server, in English and Russian."""
    print(f"LISTENING {port}", flush=True)
    for address in addresses_for_wirelab(host, port):
        print(f"Wirelab: {address}  (give Wirelab this address / этот адрес укажите в Wirelab)", flush=True)
    if host.startswith("127.") or host == "localhost":
        print("Only this computer reaches it; in class start it with --host 0.0.0.0"
              " / Доступен только с этого компьютера; на занятии запускайте с --host 0.0.0.0", flush=True)
