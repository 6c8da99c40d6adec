import Foundation
import RunbookCore

/// The live line of the step that is running, on a terminal: a spinner, the step and its
/// elapsed time, redrawn ten times a second from a thread of its own, then replaced by the
/// step's result line.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var label: String?
    private var started = Date()
    private var running = true
    private let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    init() {
        Thread.detachNewThread { [self] in
            var frame = 0
            while self.tick(frame) {
                frame += 1
                Platform.sleep(milliseconds: 100)
            }
        }
    }

    func start(_ label: String) {
        lock.withLock {
            self.label = label
            started = Date()
        }
    }

    /// Clears the live line and prints the step's result in its place.
    func finish(with text: String) {
        lock.withLock {
            label = nil
            Output.standardOutput("\r\u{1B}[2K" + text)
        }
    }

    func stop() {
        lock.withLock {
            running = false
            if label != nil { Output.standardOutput("\r\u{1B}[2K") }
            label = nil
        }
    }

    private func tick(_ frame: Int) -> Bool {
        lock.withLock {
            guard running else { return false }
            if let label {
                let elapsed = String(format: "%.1f s", Date().timeIntervalSince(started))
                Output.standardOutput("\r\u{1B}[2K\(frames[frame % frames.count]) \(label)  \(elapsed)")
            }
            return true
        }
    }
}
