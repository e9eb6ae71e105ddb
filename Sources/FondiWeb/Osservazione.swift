import Fondi
import FondiStore
import HTTPTypes
import Hummingbird
import Logging
import Prometheus
import Synchronization
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// What `GET /metriche` reports, in Prometheus text format (ADR 0018): requests and their latency per route
/// and status, commands applied and refused, the ledger's last seq, the last closing, the server's memory.
public final class Metriche: Sendable {
    let registro = PrometheusCollectorRegistry()
    private let applicatiTotale: Counter
    private let ultimoSeq: Gauge
    private let ultimoEsercizioChiuso: Gauge
    private let memoria: Gauge
    private let avvio: Gauge
    /// Latency buckets, 0.5 ms to 10 s (75 and 150 ms around the 100 ms goal of issue 11): a page kept for its chain head answers in about a millisecond.
    static let soglie: [Duration] = [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                                     .milliseconds(25), .milliseconds(50), .milliseconds(75), .milliseconds(100), .milliseconds(150),
                                     .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10)]

    public init() {
        applicatiTotale = registro.makeCounter(name: "fondi_comandi_applicati_totale",
                                               help: "Comandi registrati (esclusi prova e chiavi già applicate).")
        ultimoSeq = registro.makeGauge(name: "fondi_registro_ultimo_seq", help: "Seq dell'ultimo evento del registro.")
        ultimoEsercizioChiuso = registro.makeGauge(name: "fondi_ultimo_esercizio_chiuso", help: "Ultimo esercizio chiuso (0: nessuno).")
        memoria = registro.makeGauge(name: "process_resident_memory_bytes", help: "Memoria residente del server, in byte.")
        avvio = registro.makeGauge(name: "process_start_time_seconds", help: "Avvio del server, secondi dal 1970.")
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        avvio.set(Double(t.tv_sec))
    }

    /// One request answered: counted and timed under its route pattern (`/eventi/{seq}`, never the path
    /// itself, so the series stay few), its method and status.
    func richiesta(rotta: String, metodo: HTTPRequest.Method, stato: HTTPResponse.Status, durata: Duration) {
        let etichette = [("metodo", metodo.rawValue), ("rotta", rotta), ("stato", String(stato.code))]
        registro.makeCounter(name: "fondi_richieste_totale", labels: etichette,
                             help: "Richieste HTTP servite, per rotta, metodo e stato.").increment()
        registro.makeDurationHistogram(name: "fondi_richiesta_durata_secondi", labels: [("metodo", metodo.rawValue), ("rotta", rotta)],
                                       buckets: Self.soglie, help: "Durata delle richieste, per rotta e metodo.").recordNanoseconds(
            Int64(durata.components.seconds) * 1_000_000_000 + durata.components.attoseconds / 1_000_000_000)
        if metodo == .post, stato.code >= 400, Self.rotteDiComando.contains(rotta) {
            registro.makeCounter(name: "fondi_comandi_rifiutati_totale", labels: [("motivo", Self.motivo(stato))],
                                 help: "Invii di comandi rifiutati (un elenco tutto o niente conta uno), per motivo.").increment()
        }
    }

    static let rotteDiComando: Set<String> = [Api.prefisso + "/comandi", "/comandi/{comando}", "/chiusura"]

    static func motivo(_ stato: HTTPResponse.Status) -> String {
        switch stato.code {
        case 400: "uso"
        case 401: "credenziali"
        case 403: "ruolo_o_csrf"
        case 409: "integrita"
        case 413: "troppo_grande"
        case 422: "regola_o_valore"
        case 503: "occupato_o_lento"
        default: String(stato.code)
        }
    }

    func applicati(_ n: Int) { if n > 0 { applicatiTotale.increment(by: Int64(n)) } }

    /// The text of `/metriche`, with the ledger's figures read now.
    func testo(ultimoSeq seq: Int64, ultimaChiusura: (esercizio: Int, data: String)?) -> String {
        ultimoSeq.set(Double(seq))
        ultimoEsercizioChiuso.set(Double(ultimaChiusura?.esercizio ?? 0))
        memoria.set(Double(Self.memoriaResidente()))
        return registro.emitToString()
    }

    /// The resident set size, from `/proc/self/statm` (0 where there is none).
    static func memoriaResidente() -> Int {
        guard let f = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(f) }
        var riga = [CChar](repeating: 0, count: 128)
        guard fgets(&riga, 128, f) != nil else { return 0 }
        let parti = String(decoding: riga.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).split(separator: " ")
        guard parti.count >= 2, let pagine = Int(parti[1]) else { return 0 }
        return pagine * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// Who a request turned out to be, filled in by `Accesso` further in, read by `Osserva` for its log line.
final class Traccia: Sendable {
    private let valore = Mutex<String?>(nil)
    var utente: String? {
        get { valore.withLock { $0 } }
        set { valore.withLock { $0 = newValue } }
    }
}

/// The outermost middleware: gives every response its `X-Request-Id` (Hummingbird's id, also in every log
/// line of the request), times it, counts it in `/metriche` and logs one structured line. The log line
/// names the path, never the query string, the headers or the body: no password, token or cookie reaches it.
struct Osserva: RouterMiddleware {
    let metriche: Metriche

    func handle(_ request: Request, context: ContestoFondi, next: (Request, ContestoFondi) async throws -> Response) async throws -> Response {
        let inizio = ContinuousClock.now
        let id = context.id
        do {
            var r = try await next(request, context)
            r.headers[HTTPField.Name("X-Request-Id")!] = id
            let stato = r.status
            // Counted once the body is sent (a streamed page, such as verifica's progress, takes its time).
            let corpo = r.body
            r.body = ResponseBody(contentLength: corpo.contentLength) { [metriche] writer in
                defer { concludi(request, context, stato: stato, durata: ContinuousClock.now - inizio, metriche: metriche) }
                try await corpo.write(writer)
            }
            return r
        } catch {
            let stato = (error as? any HTTPResponseError)?.status ?? .internalServerError
            concludi(request, context, stato: stato, durata: ContinuousClock.now - inizio, metriche: metriche)
            throw error
        }
    }

    private func concludi(_ request: Request, _ context: ContestoFondi, stato: HTTPResponse.Status, durata: Duration, metriche: Metriche) {
        // A path no route matched is counted under its status alone: unknown paths must not grow the series.
        let rotta = context.endpointPath.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "(nessuna)"
        metriche.richiesta(rotta: rotta, metodo: request.method, stato: stato, durata: durata)
        var dati: Logger.Metadata = [
            "metodo": .string(request.method.rawValue), "percorso": .string(request.uri.path), "rotta": .string(rotta),
            "stato": .stringConvertible(stato.code),
            "durata_us": .stringConvertible(durata.components.seconds * 1_000_000 + durata.components.attoseconds / 1_000_000_000_000),
        ]
        if let u = context.traccia.utente { dati["utente"] = .string(u) }
        let livello: Logger.Level = stato.code >= 500 ? .error : .info
        context.logger.log(level: livello, "richiesta", metadata: dati)
    }
}

/// Log lines as JSON objects, one per line on stderr, for whoever collects the server's logs (ADR 0018):
/// `{"ora":"…Z","livello":"info","messaggio":"richiesta","hb.request.id":"…",…}`.
struct LogJSON: LogHandler {
    let etichetta: String
    /// Where a finished line goes: stderr, or a test's collection.
    var scrivi: @Sendable (String) -> Void = LogJSON.suStderr
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    static let uscita = Mutex(())

    @Sendable static func suStderr(_ riga: String) {
        let riga = riga + "\n"
        uscita.withLock { _ in _ = riga.withCString { write(2, $0, strlen($0)) } }
    }

    subscript(metadataKey chiave: String) -> Logger.Metadata.Value? {
        get { metadata[chiave] }
        set { metadata[chiave] = newValue }
    }

    func log(event: LogEvent) {
        var tutti = metadata
        if let daChiamata = event.metadata { tutti.merge(daChiamata) { $1 } }
        scrivi(Self.riga(ora: Self.ora(), livello: event.level, messaggio: event.message.description, etichetta: etichetta, dati: tutti))
    }

    /// One log line: time, level, message, label, then the metadata, keys in order.
    static func riga(ora: String, livello: Logger.Level, messaggio: String, etichetta: String, dati: Logger.Metadata) -> String {
        var o: [String: ValoreJSON] = ["ora": .stringa(ora), "livello": .stringa(livello.rawValue), "messaggio": .stringa(messaggio),
                                       "etichetta": .stringa(etichetta)]
        for (k, v) in dati where o[k] == nil { o[k] = valore(v) }
        return ValoreJSON.oggetto(o).testoCanonico
    }

    static func valore(_ v: Logger.Metadata.Value) -> ValoreJSON {
        switch v {
        case let .string(s): .stringa(s)
        case let .stringConvertible(c): c is any BinaryInteger ? (Int64(c.description).map { .intero($0) } ?? .stringa(c.description)) : .stringa(c.description)
        case let .array(a): .lista(a.map(valore))
        case let .dictionary(d): .oggetto(d.mapValues(valore))
        }
    }

    /// Now, in UTC, to the millisecond: `2026-12-02T09:30:56.123Z`.
    static func ora() -> String {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        var secondi = t.tv_sec
        var g = tm()
        gmtime_r(&secondi, &g)
        func d(_ n: Int32, _ w: Int = 2) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(d(g.tm_year + 1900, 4))-\(d(g.tm_mon + 1))-\(d(g.tm_mday))T\(d(g.tm_hour)):\(d(g.tm_min)):\(d(g.tm_sec)).\(d(Int32(t.tv_nsec / 1_000_000), 3))Z"
    }
}
