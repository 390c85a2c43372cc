/// What the treatment stage reads of a scene: the design, the sessions, and the seed the
/// sampling stream derives from. The pipeline takes it from the scene (`Scene.sessionPlan`).
public struct SessionPlan: Sendable, Equatable {
    public var design: Scene.Design
    public var sessions: [Session]
    public var seed: UInt64

    public init(design: Scene.Design, sessions: [Session], seed: UInt64) {
        self.design = design
        self.sessions = sessions
        self.seed = seed
    }
}
