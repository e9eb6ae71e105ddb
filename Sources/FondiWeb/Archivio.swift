import Fondi
import FondiServizi
import FondiStore
import Logging
import NIOPosix
import Synchronization

/// The ledger file as the server uses it: every request opens its own connection on NIO's thread pool, so
/// SQLite's blocking calls never run on an event loop, readers never wait for a writer (WAL), and two
/// writers (the server and a CLI at once) serialise on SQLite's write lock like two CLI processes (ADR 0015).
public struct Archivio: Sendable {
    public let percorso: String
    let manutenzione: Manutenzione
    let viste = CacheViste()
    /// What `GET /metriche` reports (one registry per server, so tests do not share counters).
    public let metriche = Metriche()
    /// The longest a read may run (`fondi serve --tempo-massimo`, seconds); then it fails with 503.
    public let tempoMassimo: Double
    public static let tempoMassimoPredefinito: Double = 30

    /// The open connections of a PostgreSQL ledger, nil for a SQLite file (opened per request: it is cheap).
    let connessioni: ConnessioniAperte?

    /// `fondi serve --regione`: also the Region's view of every Ambito its role may read (ADR 0021).
    public let regione: Bool

    /// The engines this server can open, chosen by the composition root.
    let motori: Motori

    public init(percorso: String, motori: Motori = .sqlite, passoIstantanee: Int64 = Registro.passoIstantanee,
                tempoMassimo: Double = Archivio.tempoMassimoPredefinito, regione: Bool = false) {
        self.percorso = percorso
        self.motori = motori
        self.regione = regione
        self.connessioni = motori.connessioneDaTenere(percorso) ? ConnessioniAperte() : nil
        self.manutenzione = Manutenzione(percorso: percorso, motori: motori, passo: passoIstantanee)
        self.tempoMassimo = tempoMassimo
    }

    /// Runs `corpo` on a connection opened in `modo`, off the event loops. A read is interrupted past
    /// `tempoMassimo` (SQLite's progress handler), so a heavy query cannot hold one of the pool's threads for
    /// long; `senzaLimite` is for `verifica`, an audit that is asked for on purpose and reports its progress.
    public func usa<T: Sendable>(_ modo: Registro.Modo, senzaLimite: Bool = false,
                                 _ corpo: @escaping @Sendable (Registro) throws -> T) async throws -> T {
        let percorso = self.percorso
        let limite = modo == .lettura && !senzaLimite ? tempoMassimo : nil
        let connessioni = self.connessioni, motori = self.motori
        return try await (modo == .lettura ? Self.piscina : Self.piscinaScritture).runIfActive {
            guard let connessioni else {
                let registro = try motori.apri(percorso, modo)
                if let limite { registro.limitaDurata(secondi: limite) }
                return try corpo(registro)
            }
            // PostgreSQL: a connection costs a handshake, so the server keeps its open ones (ADR 0020).
            let registro = try connessioni.prendi(modo) { try motori.apri(percorso, modo) }
            registro.limitaDurata(secondi: limite ?? 0)
            do {
                let r = try corpo(registro)
                connessioni.rendi(registro, modo)
                return r
            } catch let e as ErroreArchivio where e.codice == ErroreArchivio.codiceNonAperto {
                throw e // a dropped connection is not given back
            } catch {
                connessioni.rendi(registro, modo)
                throw error
            }
        }
    }

    /// The threads SQLite's blocking calls run on: more than the cores, so reads go on while a write waits for
    /// its fsync (WAL readers never wait for a writer); writes have two threads of their own, so writes waiting
    /// for the lock (behind a CLI's importa, up to 5 s) never take the readers' threads.
    static let piscina: NIOThreadPool = {
        let p = NIOThreadPool(numberOfThreads: 8)
        p.start()
        return p
    }()
    static let piscinaScritture: NIOThreadPool = {
        let p = NIOThreadPool(numberOfThreads: 2)
        p.start()
        return p
    }()

    /// The regional prospetto (ADR 0021), made at most once per second for all who ask at once.
    func prospettoRegionale() async throws -> [Tabella] {
        let percorso = self.percorso
        guard let prospetto = motori.prospettoRegionale else { throw ErroreValore("servizio non regionale: questo motore ha un solo ambito per registro") }
        return try await Self.piscina.runIfActive { try prospetto(percorso) }
    }

    /// Appends `passi` (or tries them, `prova`); once the ledger has grown past the next periodic snapshot,
    /// asks for it in the background, so date-filtered views stay fast (ADR 0016).
    func registra(_ passi: [Passo], prova: Bool = false) async throws -> [Esito] {
        let esiti = try await usa(.scrittura) { try $0.registra(passi, prova: prova) }
        if !prova {
            metriche.applicati(esiti.filter { !$0.ripetuto }.count)
            if let seq = esiti.last?.eventi.last?.seq { manutenzione.dopoScrittura(seq: seq) }
        }
        return esiti
    }

    /// A batch all or nothing, with the key of the whole (`POST comandi` with a list).
    func registraLotto(_ passi: [Passo], chiaveComplessiva: (chiave: String, contenuto: String)?) async throws -> RiepilogoLotto {
        let r = try await usa(.scrittura) { registro -> RiepilogoLotto in
            var i = 0
            return try registro.registra(flusso: { () -> Passo? in
                defer { i += 1 }
                return i < passi.count ? passi[i] : nil
            }, chiaveComplessiva: chiaveComplessiva)
        }
        if !r.ripetuto { metriche.applicati(r.passi) }
        if let seq = r.ultimo?.seq { manutenzione.dopoScrittura(seq: seq) }
        return r
    }

    /// The state a report page shows (`Vista.stato`), reused while the chain head is the one it was built at:
    /// readers between two writes share it instead of each loading the projections again.
    ///
    /// The present (no `al`, no `fino`) is one state carried forward event by event (`statoAllaTesta`): a write
    /// costs the readers a fold of its events, not a reload. A view `--al D` made at seq S is reused at a later
    /// head when no event recorded since is dated on or before D; a view `--fino-a N` never changes (ADR 0018).
    func stato(_ registro: Registro, al: DataContabile?, fino: Int64?, impegni: Bool) throws -> Stato {
        if al == nil && fino == nil {
            if let attuale = try registro.statoAllaTesta(da: viste.testa()) {
                viste.mettiTesta(attuale)
                return attuale.stato
            }
            // Too many events to fold (a bulk importa by a CLI): the projections now, snapshots in the background.
            manutenzione.esegui()
            return try Vista.stato(registro, al: nil, fino: nil, impegni: impegni, avviso: { _ in })
        }
        let testa = try registro.testa()
        let chiave = CacheViste.Chiave(al: al, fino: fino, impegni: impegni)
        // A kept view serves only if its head is on this chain (the file may have been replaced meanwhile).
        if let voce = viste.cerca(chiave), try voce.seq > testa.seq || registro.inCatena(seq: voce.seq, hash: voce.testa) {
            if voce.seq == testa.seq { return voce.stato }
            if fino != nil { return voce.stato }
            // Made at a later head than the one read here (a write committed in between): still this view
            // if nothing recorded in between is dated on or before its day.
            if let al, voce.seq > testa.seq, voce.seq - testa.seq <= 10_000,
               try !registro.eventoDatatoEntro(dopo: testa.seq, fino: voce.seq, data: al) {
                return voce.stato
            }
            if let al, voce.seq < testa.seq, testa.seq - voce.seq <= 10_000,
               try !registro.eventoDatatoEntro(dopo: voce.seq, fino: testa.seq, data: al) {
                viste.metti(chiave, seq: testa.seq, testa: testa.hash, voce.stato)
                return voce.stato
            }
        }
        let s = try Vista.stato(registro, al: al, fino: fino, impegni: impegni, avviso: { _ in })
        // Kept only if no write came in meanwhile, so an entry is exactly the state at its head.
        if try registro.testa().hash == testa.hash { viste.metti(chiave, seq: testa.seq, testa: testa.hash, s) }
        return s
    }

    /// A page's body for the current chain head: the one kept for it, or made by `fai` (once, while other
    /// requests for the same page wait for it) and kept until the head moves (ADR 0015).
    func pagina(_ chiave: String, _ fai: () async throws -> String) async throws -> String {
        let viste = self.viste
        let (testa, salvata) = try await usa(.lettura) { r -> ([UInt8], String?) in
            let h = try r.testa().hash
            return (h, viste.pagina(chiave, testa: h))
        }
        if let salvata { return salvata }
        return try await viste.unaVolta(chiave + "|" + Catena.esadecimale(testa)) {
            let corpo = try await fai()
            viste.mettiPagina(chiave, testa: testa, corpo)
            return corpo
        }
    }

    /// Small texts kept for the current chain head (a form's choices), read or made inside one read transaction:
    /// `fai` gets the Registro and `testo(chiave, crea)`. Unlike `pagina`, a request does not wait for another
    /// making the same text, and a page needing several texts reads the head once.
    func conTesti<T: Sendable>(_ fai: @escaping @Sendable (Registro, (String, () throws -> String) throws -> String) throws -> T) async throws -> T {
        let viste = self.viste
        return try await usa(.lettura) { r in
            let h = try r.testa().hash
            return try fai(r) { chiave, crea in
                if let t = viste.pagina(chiave, testa: h) { return t }
                let t = try crea()
                viste.mettiPagina(chiave, testa: h, t)
                return t
            }
        }
    }

    /// The periodic snapshots the ledger lacks (e.g. after a bulk `importa`), made in the background at start.
    public func avviaManutenzione() { manutenzione.esegui() }

    /// Waits for the background snapshots in progress (tests and benchmarks).
    public func attendiManutenzione() async { await manutenzione.attendi() }
}

/// Creates the missing periodic snapshots off the request path, one run at a time; a request that arrives
/// while a run is going asks for one more run after it.
final class Manutenzione: Sendable {
    private struct Stato {
        var inCorso = false
        var ancora = false
        var ultimoSeq: Int64 = 0
        var inAttesa: [CheckedContinuation<Void, Never>] = []
    }
    private let percorso: String
    private let motori: Motori
    private let passo: Int64
    private let stato = Mutex(Stato())
    private let log = Logger(label: "fondi.manutenzione")

    init(percorso: String, motori: Motori, passo: Int64) {
        self.percorso = percorso
        self.motori = motori
        self.passo = passo
    }

    func dopoScrittura(seq: Int64) {
        let attraversato = stato.withLock { s -> Bool in
            defer { s.ultimoSeq = max(s.ultimoSeq, seq) }
            return seq / passo > s.ultimoSeq / passo
        }
        if attraversato { esegui() }
    }

    func esegui() {
        let avvia = stato.withLock { s -> Bool in
            if s.inCorso { s.ancora = true; return false }
            s.inCorso = true
            return true
        }
        guard avvia else { return }
        let percorso = self.percorso, passo = self.passo, log = self.log, motori = self.motori
        Task {
            while true {
                do {
                    let create = try await NIOThreadPool.singleton.runIfActive {
                        try motori.apri(percorso, .scrittura).creaIstantaneePeriodiche(passo: passo) { log.warning("\($0)") }
                    }
                    if let u = create.last { log.info("istantanee periodiche create: \(create.count), l'ultima al seq \(u)") }
                } catch {
                    log.error("istantanee periodiche non create: \(error)")
                }
                let (ancora, svegliare) = stato.withLock { s -> (Bool, [CheckedContinuation<Void, Never>]) in
                    if s.ancora { s.ancora = false; return (true, []) }
                    s.inCorso = false
                    defer { s.inAttesa = [] }
                    return (false, s.inAttesa)
                }
                for c in svegliare { c.resume() }
                if !ancora { return }
            }
        }
    }

    func attendi() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let subito = stato.withLock { s -> Bool in
                if !s.inCorso { return true }
                s.inAttesa.append(c)
                return false
            }
            if subito { c.resume() }
        }
    }
}

/// The last report states, each valid only at the chain head (its hash) it was built at: any append, by the
/// server or by a CLI on the same file, changes the head and so retires every entry. At most 16 entries.
final class CacheViste: Sendable {
    struct Chiave: Hashable {
        let al: DataContabile?
        let fino: Int64?
        let impegni: Bool
    }
    struct Voce {
        let seq: Int64
        let testa: [UInt8]
        let stato: Stato
        var uso: UInt64
    }
    private let voci = Mutex<(voci: [Chiave: Voce], orologio: UInt64)>(([:], 0))
    /// The present, carried forward by each request that finds the head moved.
    private let presente = Mutex<StatoAllaTesta?>(nil)

    func testa() -> StatoAllaTesta? { presente.withLock { $0 } }

    /// Keeps `s` unless a state further along is kept already.
    func mettiTesta(_ s: StatoAllaTesta) {
        presente.withLock { p in if p == nil || p!.seq < s.seq || (p!.seq == s.seq && p!.hash != s.hash) { p = s } }
    }
    /// Rendered page bodies by request (path, query, day), for the head they were made at: at most 64.
    private let pagine = Mutex<(testa: [UInt8], corpi: [String: String])>(([], [:]))

    func pagina(_ chiave: String, testa: [UInt8]) -> String? {
        pagine.withLock { p in p.testa == testa ? p.corpi[chiave] : nil }
    }

    /// Requests making the same page right now: the first makes it, the others wait for its result.
    private let inVolo = Mutex<[String: [CheckedContinuation<String, any Error>]]>([:])
    private struct Riprova: Error {}

    func unaVolta(_ chiave: String, _ fai: () async throws -> String) async throws -> String {
        let primo = inVolo.withLock { v -> Bool in
            if v[chiave] == nil { v[chiave] = []; return true }
            return false
        }
        guard primo else {
            do {
                return try await withCheckedThrowingContinuation { (c: CheckedContinuation<String, any Error>) in
                    let attende = inVolo.withLock { v -> Bool in
                        guard v[chiave] != nil else { return false }
                        v[chiave]!.append(c)
                        return true
                    }
                    // The first one finished in between: make it here.
                    if !attende { c.resume(throwing: Riprova()) }
                }
            } catch is Riprova {
                return try await fai()
            }
        }
        do {
            let r = try await fai()
            for c in inVolo.withLock({ $0.removeValue(forKey: chiave) ?? [] }) { c.resume(returning: r) }
            return r
        } catch {
            for c in inVolo.withLock({ $0.removeValue(forKey: chiave) ?? [] }) { c.resume(throwing: error) }
            throw error
        }
    }

    func mettiPagina(_ chiave: String, testa: [UInt8], _ corpo: String) {
        pagine.withLock { p in
            if p.testa != testa { p = (testa, [:]) }
            if p.corpi.count >= 64 { p.corpi.removeAll() }
            p.corpi[chiave] = corpo
        }
    }

    /// The view kept for `k`, made at the head it names (the caller decides whether it still holds).
    func cerca(_ k: Chiave) -> Voce? {
        voci.withLock { v in
            guard v.voci[k] != nil else { return nil }
            v.orologio += 1
            v.voci[k]!.uso = v.orologio
            return v.voci[k]
        }
    }

    /// Keeps a view at most 16, the least recently used going first.
    func metti(_ k: Chiave, seq: Int64, testa: [UInt8], _ stato: Stato) {
        voci.withLock { v in
            v.orologio += 1
            // Never replace a view with one made at an earlier head.
            if let d = v.voci[k], d.seq > seq { return }
            if v.voci[k] == nil, v.voci.count >= 16, let vecchia = v.voci.min(by: { $0.value.uso < $1.value.uso })?.key { v.voci[vecchia] = nil }
            v.voci[k] = Voce(seq: seq, testa: testa, stato: stato, uso: v.orologio)
        }
    }
}

/// The idle connections of a PostgreSQL ledger, per mode, at most as many as the threads that use them.
final class ConnessioniAperte: Sendable {
    private struct Libere: @unchecked Sendable {
        var lettura: [Registro] = []
        var scrittura: [Registro] = []
    }
    private let libere = Mutex(Libere())

    func prendi(_ modo: Registro.Modo, _ apri: () throws -> Registro) throws -> Registro {
        let r = libere.withLock { l -> Registro? in modo == .lettura ? l.lettura.popLast() : l.scrittura.popLast() }
        return try r ?? apri()
    }

    func rendi(_ registro: Registro, _ modo: Registro.Modo) {
        libere.withLock { l in
            if modo == .lettura { if l.lettura.count < 8 { l.lettura.append(registro) } } else if l.scrittura.count < 2 { l.scrittura.append(registro) }
        }
    }
}
