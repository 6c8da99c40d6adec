/// One row of a routing table, in the form both `route -n` and `ip route` reduce to.
public struct RouteEntry: Sendable, Hashable {
    public var destination: String
    /// Nil for an on-link route (`0.0.0.0` in `route -n`, no `via` in `ip route`).
    public var gateway: String?
    public var device: String?
    public var metric: Int
    /// `route -n`'s flags (`U`, `UG`, `UH`); nil when the format does not show them.
    public var flags: String?

    /// Spelled out because a memberwise initializer is internal to its module, and the kernel's
    /// tables are read in RunbookOps.
    @inlinable
    public init(destination: String, gateway: String?, device: String?, metric: Int, flags: String?) {
        self.destination = destination
        self.gateway = gateway
        self.device = device
        self.metric = metric
        self.flags = flags
    }
}
