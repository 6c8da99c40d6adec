import RunbookCore

#if canImport(Glibc)
    import Glibc
#endif

/// TCP client and server of the lab's service, on plain sockets.
public enum LabProbe {
    public struct ServeFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Serves forever: each connection gets an HTTP/1.0 response whose body is `name` and a
    /// newline, at once, without waiting for a request (so `curl` works, and so does a plain
    /// TCP read). Throws only when it cannot listen; the process's exit is the CLI's to decide.
    public static func serve(address: String, port: Int, name: String) throws(ServeFailure) -> Never {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var socketAddress = Self.socketAddress(address, port)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard fd >= 0, bound == 0, listen(fd, 128) == 0 else {
            throw ServeFailure(description: "cannot listen on \(address):\(port): \(String(cString: strerror(errno)))")
        }
        let body = "\(name)\n"
        let reply = Array(
            "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
                .utf8)
        var wait = timeval(tv_sec: 0, tv_usec: 200_000)
        while true {
            let connection = accept(fd, nil, nil)
            if connection < 0 { continue }
            // A client gone before the reply is no reason for the responder to die of SIGPIPE.
            _ = reply.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            // Read what the client sent (an HTTP request) until it closes, so that closing
            // does not reset the connection under a reply it has not read yet.
            shutdown(connection, Int32(SHUT_WR))
            setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
            var sink = [UInt8](repeating: 0, count: 1024)
            while sink.withUnsafeMutableBytes({ read(connection, $0.baseAddress, $0.count) }) > 0 {}
            close(connection)
        }
    }

    /// One question: who answers at address:port?
    static func ask(address: String, port: Int, timeout: Double) -> String? {
        askAll(address: address, port: port, count: 1, timeout: timeout).first ?? nil
    }

    /// `count` connections at once, each answered or not within `timeout` seconds.
    static func askAll(address: String, port: Int, count: Int, timeout: Double) -> [String?] {
        var sockets: [Int32] = []
        var answers = [String?](repeating: nil, count: count)
        var buffers = [[UInt8]](repeating: [], count: count)
        var connected = [Bool](repeating: false, count: count)
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var socketAddress = Self.socketAddress(address, port)
            _ = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            sockets.append(fd)
        }
        defer { sockets.forEach { close($0) } }
        var open = Set(0..<count)
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        while !open.isEmpty {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let elapsed = Double(now.tv_sec - start.tv_sec) + Double(now.tv_nsec - start.tv_nsec) / 1e9
            guard elapsed < timeout else { break }
            var fds = open.sorted().map {
                pollfd(fd: sockets[$0], events: Int16(connected[$0] ? POLLIN : POLLOUT), revents: 0)
            }
            let indices = open.sorted()
            guard poll(&fds, nfds_t(fds.count), Int32((timeout - elapsed) * 1000) + 1) > 0 else { continue }
            for (position, entry) in fds.enumerated() where entry.revents != 0 {
                let index = indices[position]
                if !connected[index] {
                    var error: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(entry.fd, SOL_SOCKET, SO_ERROR, &error, &length)
                    if error != 0 { open.remove(index) } else { connected[index] = true }
                    continue
                }
                var chunk = [UInt8](repeating: 0, count: 256)
                let read = chunk.withUnsafeMutableBytes { Glibc.read(entry.fd, $0.baseAddress, $0.count) }
                if read > 0 { buffers[index] += chunk[0..<read] }
                if read <= 0 || buffers[index].count > 4096 {
                    answers[index] = body(String(decoding: buffers[index], as: UTF8.self))
                    open.remove(index)
                }
            }
        }
        return answers
    }

    /// The name a responder sent: an HTTP response's body, or the text itself.
    private static func body(_ text: String) -> String? {
        var body = text[...]
        if body.hasPrefix("HTTP/"), let end = body.range(of: "\r\n\r\n") { body = body[end.upperBound...] }
        let name = String(body).trimmingTrailingNewlines
        return name.isEmpty ? nil : name
    }

    /// `count` ICMP echo requests to `address` at once (a raw socket: the lab runs as root);
    /// whether each was answered within `timeout` seconds.
    static func ping(address: String, count: Int, timeout: Double) -> [Bool] {
        var answered = [Bool](repeating: false, count: count)
        let fd = socket(AF_INET, Int32(SOCK_RAW.rawValue), Int32(IPPROTO_ICMP))
        guard fd >= 0, let target = IPv4.parse(address) else { return answered }
        defer { close(fd) }
        let identifier = UInt16(truncatingIfNeeded: getpid()) ^ UInt16.random(in: 0...UInt16.max)
        var destination = socketAddress(address, 0)
        for sequence in 0..<count {
            var packet: [UInt8] = [8, 0, 0, 0, UInt8(identifier >> 8), UInt8(identifier & 0xFF), 0, UInt8(sequence)]
            packet += [UInt8](repeating: 0x61, count: 24)
            let sum = checksum(packet)
            packet[2] = UInt8(sum >> 8)
            packet[3] = UInt8(sum & 0xFF)
            _ = withUnsafePointer(to: &destination) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, packet, packet.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        var buffer = [UInt8](repeating: 0, count: 1500)
        while answered.contains(false) {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let left = timeout - (Double(now.tv_sec - start.tv_sec) + Double(now.tv_nsec - start.tv_nsec) / 1e9)
            guard left > 0 else { break }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, Int32(left * 1000) + 1) > 0 else { continue }
            let length = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            // An IPv4 header, then ICMP: type 0 (echo reply), our identifier, a sequence we sent.
            guard length >= 28 else { continue }
            let header = Int(buffer[0] & 0x0F) * 4
            let source =
                UInt32(buffer[12]) << 24 | UInt32(buffer[13]) << 16 | UInt32(buffer[14]) << 8 | UInt32(buffer[15])
            guard length >= header + 8, source == target, buffer[header] == 0,
                UInt16(buffer[header + 4]) << 8 | UInt16(buffer[header + 5]) == identifier
            else { continue }
            let sequence = Int(buffer[header + 7])
            if sequence < count { answered[sequence] = true }
        }
        return answered
    }

    /// The Internet checksum (RFC 1071).
    private static func checksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum += UInt32(bytes[index]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }

    private static func socketAddress(_ address: String, _ port: Int) -> sockaddr_in {
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = in_port_t(UInt16(port).bigEndian)
        socketAddress.sin_addr.s_addr = (IPv4.parse(address) ?? 0).bigEndian
        return socketAddress
    }
}
