/// A change to the routing table, from net-tools' `route` or iproute2's `ip route`.
public struct RouteChange: Sendable, Equatable {
    public enum Action: String, Sendable {
        /// `change` is `replace` that fails when there is no route to change.
        case add, del, replace, change

        /// Whether the change sets the route whether or not one exists (`replace`, `change`).
        public var overwrites: Bool { self == .replace || self == .change }
    }

    public var action: Action
    /// IPv4 CIDR; `default` is `0.0.0.0/0` and `-host` a /32.
    public var destination: String
    public var gateway: String?
    public var device: String?
    public var metric: Int?
    public var command: String
    /// The network namespace the documented command ran the change in (`ip netns exec NS ...`,
    /// `ip -n NS route ...`): the route belongs to that namespace, not to the host.
    public var namespace: String? = nil

    /// Spelled out because a memberwise initializer is internal to its module.
    @inlinable
    public init(action: Action, destination: String, gateway: String?, device: String?, metric: Int?, command: String) {
        self.action = action
        self.destination = destination
        self.gateway = gateway
        self.device = device
        self.metric = metric
        self.command = command
    }

    /// The change that adds or deletes exactly this kernel route.
    public init(_ entry: RouteEntry, action: Action) {
        self.init(
            action: action, destination: entry.destination, gateway: entry.gateway, device: entry.device,
            metric: entry.metric == 0 ? nil : entry.metric, command: "")
    }
}
