import RunbookCore

#if canImport(Glibc)
    import Glibc
#endif

/// TCP client and server of the lab's service, on plain sockets.
public enum LabProbe {
    public struct ServeFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Serves forever: each connection gets `name` and a newline. Throws only when it cannot
    /// listen.
    /// The process's exit is the CLI's to decide.
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
        let reply = Array("\(name)\n".utf8)
        while true {
            let connection = accept(fd, nil, nil)
            if connection < 0 { continue }
            _ = reply.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
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
                if read <= 0 || buffers[index].contains(0x0A) {
                    let text = String(decoding: buffers[index], as: UTF8.self).trimmingTrailingNewlines
                    answers[index] = text.isEmpty ? nil : text
                    open.remove(index)
                }
            }
        }
        return answers
    }

    private static func socketAddress(_ address: String, _ port: Int) -> sockaddr_in {
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = in_port_t(UInt16(port).bigEndian)
        socketAddress.sin_addr.s_addr = (IPv4.parse(address) ?? 0).bigEndian
        return socketAddress
    }
}
