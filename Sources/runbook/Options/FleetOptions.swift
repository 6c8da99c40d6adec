import ArgumentParser

/// How many targets exec and audit work on at once.
struct FleetOptions: ParsableArguments {
    @Option(help: "Work on at most N targets at once (1 to 1024); each target runs its steps in document order.")
    var forks = 10

    func validate() throws {
        guard (1...1024).contains(forks) else { throw ValidationError("--forks takes 1 to 1024; got \(forks)") }
    }
}
