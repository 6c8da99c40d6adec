import RunbookCore

#if canImport(Glibc)
    import Glibc

    /// The IPv4 addresses of the calling thread's network namespace, from getifaddrs(3): one
    /// netlink dump in-process, no `ip` to spawn. glibc names an IPv4 address by its label
    /// (`eth0:110`), and a label always starts with its device's name.
    enum InterfaceAddresses {
        static func read() throws -> [InterfaceAddress] {
            var list: UnsafeMutablePointer<ifaddrs>? = nil
            guard getifaddrs(&list) == 0 else {
                throw TargetStateFailure(description: "cannot list addresses: \(String(cString: strerror(errno)))")
            }
            defer { freeifaddrs(list) }
            var addresses: [InterfaceAddress] = []
            var entry = list
            while let current = entry?.pointee {
                entry = current.ifa_next
                guard let address = current.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                    let mask = current.ifa_netmask, let name = current.ifa_name
                else { continue }
                let label = String(cString: name)
                let device = label.split(separator: ":", maxSplits: 1).first.map(String.init) ?? label
                addresses.append(
                    InterfaceAddress(
                        address: "\(dotted(address))/\(length(mask))", device: device,
                        label: label == device ? nil : label))
            }
            return addresses
        }

        /// The hardware address of a device (`02:ab:...`), from getifaddrs' AF_PACKET entry.
        static func hardwareAddress(of device: String) throws -> String? {
            var list: UnsafeMutablePointer<ifaddrs>? = nil
            guard getifaddrs(&list) == 0 else {
                throw TargetStateFailure(description: "cannot list interfaces: \(String(cString: strerror(errno)))")
            }
            defer { freeifaddrs(list) }
            var entry = list
            while let current = entry?.pointee {
                entry = current.ifa_next
                guard let address = current.ifa_addr, address.pointee.sa_family == sa_family_t(AF_PACKET),
                    let name = current.ifa_name, String(cString: name) == device
                else { continue }
                // struct sockaddr_ll (netpacket/packet.h, not in Swift's Glibc module): the
                // address length at byte 11, the address from byte 12.
                let bytes = UnsafeRawPointer(address).assumingMemoryBound(to: UInt8.self)
                let length = min(Int(bytes[11]), 8)
                let digits = Array("0123456789abcdef")
                return (0..<length).map {
                    String([digits[Int(bytes[12 + $0] >> 4)], digits[Int(bytes[12 + $0] & 0xF)]])
                }
                .joined(separator: ":")
            }
            return nil
        }

        private static func inet(_ address: UnsafeMutablePointer<sockaddr>) -> UInt32 {
            address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                UInt32(bigEndian: $0.pointee.sin_addr.s_addr)
            }
        }

        private static func dotted(_ address: UnsafeMutablePointer<sockaddr>) -> String {
            let value = inet(address)
            return "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
        }

        private static func length(_ mask: UnsafeMutablePointer<sockaddr>) -> Int {
            inet(mask).nonzeroBitCount
        }
    }
#endif
