package main

// The same file is in every Go starter (each is a program of its own, built alone).

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// announce prints `LISTENING <port>` (the tests and scripts wait for that line), then the
// address(es) to give Wirelab. In class Wirelab runs on the teacher's laptop and connects to yours
// over the room's network: listen with -host 0.0.0.0, and give it this machine's LAN address.
func announce(host string, port int) {
	fmt.Printf("LISTENING %d\n", port)
	addresses := []string{host}
	if host == "0.0.0.0" || host == "::" || host == "" {
		addresses = lanAddresses()
	}
	for _, address := range addresses {
		fmt.Printf("Wirelab: %s  (give Wirelab this address / этот адрес укажите в Wirelab)\n", net.JoinHostPort(address, strconv.Itoa(port)))
	}
	if strings.HasPrefix(host, "127.") || host == "localhost" {
		fmt.Println("Only this computer reaches it; in class start it with -host 0.0.0.0 / Доступен только с этого компьютера; на занятии запускайте с -host 0.0.0.0")
	}
}

// lanAddresses: this machine's IPv4 addresses but loopback (127.0.0.1 when it has none).
func lanAddresses() []string {
	found := []string{}
	addresses, _ := net.InterfaceAddrs()
	for _, address := range addresses {
		if network, ok := address.(*net.IPNet); ok && network.IP.To4() != nil && !network.IP.IsLoopback() {
			found = append(found, network.IP.String())
		}
	}
	if len(found) == 0 {
		return []string{"127.0.0.1"}
	}
	return found
}
