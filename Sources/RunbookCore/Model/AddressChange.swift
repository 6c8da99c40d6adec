/// An IPv4 address put on or taken off an interface, from iproute2's `ip addr` or net-tools'
/// `ifconfig`. The address keeps its host bits: it is the interface's own address, and the
/// length says which subnet the kernel puts on link.
public struct AddressChange: Sendable, Equatable {
    public enum Action: String, Sendable {
        case add, del
    }

    public var action: Action
    /// `a.b.c.d/len`; nil only for `ifconfig eth0:0 down`, which removes whatever the label holds.
    public var address: String?
    /// The interface, without an alias suffix (`eth0` for `eth0:110`).
    public var device: String
    /// The alias label (`eth0:110`), which `ifconfig` and old scripts name addresses by.
    public var label: String?
    public var command: String
    /// The network namespace the documented command ran in (`ip netns exec NS ...`,
    /// `ip -n NS addr ...`): the address belongs to that namespace, not to the host.
    public var namespace: String? = nil

    @inlinable
    public init(action: Action, address: String?, device: String, label: String?, command: String) {
        self.action = action
        self.address = address
        self.device = device
        self.label = label
        self.command = command
    }
}

/// One IPv4 address an interface carries, as `ip -o addr` or the kernel reports it.
public struct InterfaceAddress: Sendable, Hashable {
    /// `a.b.c.d/len`.
    public var address: String
    public var device: String
    /// The label when it is not the device's own name (`eth0:110`).
    public var label: String?

    @inlinable
    public init(address: String, device: String, label: String?) {
        self.address = address
        self.device = device
        self.label = label
    }

    /// `192.168.1.110/24 dev eth0`: what of an address is compared with a documented listing,
    /// by exec and audit and by the exports' `rb_expect_addresses` alike.
    public var row: String { "\(address) dev \(device)" }
}
