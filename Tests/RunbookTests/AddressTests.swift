import Foundation
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
