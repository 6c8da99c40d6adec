import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookOps

@Suite("address steps")
struct AddressRecognitionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var command: String
        var action: AddressChange.Action
        var address: String?
        var device: String
        var label: String?
        var testDescription: String { command }
    }

    @Test(
        "iproute2 and net-tools spellings",
        arguments: [
            Case(
                command: "ip addr add 192.168.1.110/24 dev eth0 label eth0:110", action: .add,
                address: "192.168.1.110/24", device: "eth0", label: "eth0:110"),
            Case(command: "sudo ip a a 10.0.0.1/8 dev eth1", action: .add, address: "10.0.0.1/8", device: "eth1"),
            Case(
                command: "ip address del 10.0.0.1/8 dev eth1", action: .del, address: "10.0.0.1/8", device: "eth1"),
            Case(
                command: "ip -4 addr add 192.168.10.68/24 br + dev enp1s0", action: .add,
                address: "192.168.10.68/24", device: "enp1s0"),
            Case(command: "ip addr add 172.16.0.100 dev lo", action: .add, address: "172.16.0.100/32", device: "lo"),
            Case(
                command: "ifconfig eth0:110 192.168.1.110 netmask 255.255.255.0 up", action: .add,
                address: "192.168.1.110/24", device: "eth0", label: "eth0:110"),
            Case(
                command: "ifconfig lo:0 192.168.1.110 broadcast 192.168.1.110 netmask 255.255.255.255 up",
                action: .add, address: "192.168.1.110/32", device: "lo", label: "lo:0"),
            Case(command: "ifconfig eth0 10.1.2.3", action: .add, address: "10.1.2.3/8", device: "eth0"),
            Case(
                command: "ifconfig eth0:1 192.168.235.250/24", action: .add, address: "192.168.235.250/24",
                device: "eth0", label: "eth0:1"),
            Case(command: "ifconfig eth0:0 down", action: .del, address: nil, device: "eth0", label: "eth0:0"),
        ])
    func spelling(_ example: Case) throws {
        let step = try #require(try parse("```sh\n\(example.command)\n```\n").steps.first)
        let change = try #require(step.address)
        #expect(
            change
                == AddressChange(
                    action: example.action, address: example.address, device: example.device, label: example.label,
                    command: example.command))
    }

    @Test(
        "address commands that the model does not carry stay commands",
        arguments: [
            "ip addr add 192.168.2.1 peer 192.168.2.2 dev wg0",
            "ip -6 addr add fd00::1/64 dev eth0",
            "ip addr add $VIP/32 dev lo",
            "ip addr show dev eth0",
            "ip addr flush dev eth0",
            "ifconfig eth0 up",
            "ifconfig eth0 down",
            "ifconfig eth0 mtu 9000",
            "ip addr add 10.0.0.1/24 dev eth0 label wlan0:1",
        ])
    func untyped(_ command: String) throws {
        let step = try #require(try parse("```sh\n\(command)\n```\n").steps.first)
        #expect(step.kind == .command)
    }

    @Test("changes joined with ; or && are one typed step each; a list with anything else stays a command")
    func changeList() throws {
        let runbook = try parse("```sh\nifconfig lo:1 down; ifconfig lo:1 172.16.0.100 netmask 255.255.255.255\n```\n")
        #expect(runbook.steps.map(\.kind) == [.address, .address])
        #expect(runbook.steps.map(\.address?.action) == [.del, .add])
        #expect(runbook.steps[1].address?.command == "ifconfig lo:1 172.16.0.100 netmask 255.255.255.255")
        let mixed = try parse("```sh\nifconfig lo:1 down; echo done\n```\n")
        #expect(mixed.steps.map(\.kind) == [.command])
    }

    @Test("an address change in another namespace is typed for reading and runs as written")
    func namespaced() throws {
        let step = try #require(
            try parse("```sh\nip netns exec red ip addr add 10.0.0.1/24 dev veth0\n```\n").steps.first)
        let command = try #require(step.shellCommand)
        #expect(command.namespacedAddress?.namespace == "red")
        #expect(command.namespacedAddress?.address == "10.0.0.1/24")
    }

    @Test("JSON and plan name the address, device and label")
    func rendering() throws {
        let runbook = try parse("```console\ndirector# ifconfig eth0:110 192.168.1.110 netmask 255.255.255.0 up\n```\n")
        let json = String(decoding: runbook.json(), as: UTF8.self)
        #expect(
            json.contains(
                #""kind":"address","action":"add","address":"192.168.1.110/24","device":"eth0","label":"eth0:110","command":"ifconfig eth0:110 192.168.1.110 netmask 255.255.255.0 up"}"#
            ))
        #expect(PlanRenderer.summary(runbook.steps[0]) == "address add 192.168.1.110/24 dev eth0 label eth0:110")
    }

    @Test("ip addr output documented after the command is its expected addresses, with labels")
    func ipAddrTable() throws {
        let runbook = try parse(
            """
            ```shell
            [root@lvs01 ~]# ip a
            1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN
                link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
                inet 127.0.0.1/8 scope host lo
                inet6 ::1/128 scope host
                   valid_lft forever preferred_lft forever
            2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP qlen 1000
                link/ether 00:0c:29:cc:ec:94 brd ff:ff:ff:ff:ff:ff
                inet 192.168.241.12/24 brd 192.168.241.255 scope global eth0
                inet 192.168.241.11/24 brd 192.168.241.255 scope global secondary eth0:12
            ```
            """)
        #expect(
            runbook.steps.first?.shellCommand?.expect?.addresses == [
                InterfaceAddress(address: "127.0.0.1/8", device: "lo", label: nil),
                InterfaceAddress(address: "192.168.241.12/24", device: "eth0", label: nil),
                InterfaceAddress(address: "192.168.241.11/24", device: "eth0", label: "eth0:12"),
            ])
    }

    @Test("ifconfig output, new and old style, gives the addresses with their netmask as length")
    func ifconfigTable() throws {
        let new = try parse(
            """
            ```console
            # ifconfig
            eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
                    inet 172.18.0.10  netmask 255.255.255.0  broadcast 0.0.0.0
                    ether 02:42:ac:12:00:0a  txqueuelen 0  (Ethernet)

            eth0:110: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
                    inet 172.18.0.110  netmask 255.255.255.255  broadcast 172.18.0.110
            ```
            """)
        #expect(
            new.steps.first?.shellCommand?.expect?.addresses == [
                InterfaceAddress(address: "172.18.0.10/24", device: "eth0", label: nil),
                InterfaceAddress(address: "172.18.0.110/32", device: "eth0", label: "eth0:110"),
            ])
        let old = try parse(
            "```console\n$ ifconfig eth0\neth0      Link encap:Ethernet  HWaddr 00:0c:29:aa:bb:cc\n          inet addr:10.0.0.5  Bcast:10.0.0.255  Mask:255.255.255.0\n```\n"
        )
        #expect(
            old.steps.first?.shellCommand?.expect?.addresses == [
                InterfaceAddress(address: "10.0.0.5/24", device: "eth0", label: nil)
            ])
    }

    @Test("output that is not an address listing stays text")
    func notATable() throws {
        let runbook = try parse("```console\n$ ip addr show dev eth0\nDevice \"eth0\" does not exist.\n```\n")
        #expect(runbook.steps.first?.shellCommand?.expect?.addresses == nil)
        #expect(runbook.steps.first?.shellCommand?.expect?.output == "Device \"eth0\" does not exist.")
    }

    @Test("ip -o addr output: device, address and the label when it is an alias")
    func oneLineTable() {
        let text = """
            1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
            2: eth0    inet 192.168.1.2/24 brd 192.168.1.255 scope global eth0\\       valid_lft forever preferred_lft forever
            2: eth0    inet 192.168.1.110/24 scope global secondary eth0:110\\       valid_lft forever preferred_lft forever
            5: veth1@if4    inet 10.0.0.1/30 scope global veth1\\       valid_lft forever preferred_lft forever
            """
        #expect(
            AddressTable.parse(oneLine: text) == [
                InterfaceAddress(address: "127.0.0.1/8", device: "lo", label: nil),
                InterfaceAddress(address: "192.168.1.2/24", device: "eth0", label: nil),
                InterfaceAddress(address: "192.168.1.110/24", device: "eth0", label: "eth0:110"),
                InterfaceAddress(address: "10.0.0.1/30", device: "veth1", label: nil),
            ])
    }
}
