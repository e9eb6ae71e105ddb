import Fondi
import FondiServizi
import FondiStore
import HTTPTypes
import Logging
import Hummingbird
import NIOCore

/// `fondi serve` (DOMAIN §8): the routes, the middleware and the application.
public enum Web {
    typealias Gestore = @Sendable (Request, ContestoFondi) async throws -> Response

    /// The handler of each route of the table: every case, no default, so a route cannot lack one.
    static func gestore(_ rotta: Rotta, _ p: Pagine, _ api: Api) -> Gestore {
        switch rotta {
        case .stile: { _, _ in Self.stile }
        case .salute: { _, _ in try await Self.salute(p.archivio) }
        case .metriche: { _, _ in try await Self.metriche(p.archivio) }
        case .moduloAccesso: { r, c in p.moduloAccesso(r, c) }
        case .accedi: { r, c in try await p.accedi(r, c) }
        case .esci: { r, c in try await p.esci(r, c) }
        case .cruscotto, .saldi, .residui, .prospetto: { r, c in await p.rapporto(r, c, rotta: rotta) }
        case .regione: { r, c in await p.regione(r, c) }
        case .storia: { r, c in await p.storia(r, c) }
        case .impegni: { r, c in await p.impegni(r, c) }
        case .impegno: { r, c in await p.impegno(r, c) }
        case .evento: { r, c in await p.evento(r, c) }
        case .verifica: { r, c in await p.verifica(r, c) }
        case .utente: { _, c in p.utente(c) }
        case .inviaPassword: { r, c in await p.inviaPassword(r, c) }
        case .utenti: { _, c in await p.utenti(c) }
        case .inviaUtenti: { r, c in await p.inviaUtenti(r, c) }
        case .favicon, .faviconIco: { _, _ in Self.favicon }
        case .script: { _, _ in Self.script }
        case .cifre: { r, c in await p.cifre(r, c) }
        case .importa: { _, c in p.moduloImporta(c) }
        case .inviaImporta: { r, c in await p.inviaImporta(r, c) }
        case .istantanee: { _, c in await p.istantanee(c) }
        case .inviaIstantanea: { r, c in await p.inviaIstantanea(r, c) }
        case .prenotazioni, .accertamenti: { r, c in await p.registrazioni(r, c, rotta: rotta) }
        case .prenotazione, .accertamento: { r, c in await p.registrazione(r, c, rotta: rotta) }
        case .comandi: { _, c in p.elenco(c) }
        case .modulo: { r, c in await p.mostraModulo(r, c) }
        case .inviaModulo: { r, c in await p.inviaModulo(r, c) }
        case .registrato: { r, c in await p.mostraRegistrato(r, c) }
        case .chiusura: { r, c in await p.chiusura(r, c) }
        case .inviaChiusura: { r, c in await p.inviaChiusura(r, c) }
        case .apiSpecifica: { _, _ in Api.json(Specifica.documento) }
        case .apiSaldi, .apiResidui, .apiProspetto: { r, c in await api.rapporto(r, c, rotta: rotta) }
        case .apiRegione: { r, c in await api.regione(r, c) }
        case .apiStoria: { r, c in await api.storia(r, c) }
        case .apiVerifica: { r, c in await api.verifica(r, c) }
        case .apiEventi: { r, c in await api.eventi(r, c) }
        case .apiComandi: { r, c in await api.comandi(r, c) }
        case .scadenze: { r, c in await p.scadenze(r, c) }
        case .rendicontazioni, .rendicontazione, .confronto: { r, c in await p.rendicontazioni(r, c, rotta: rotta) }
        case .apiScadenze: { r, c in await api.scadenze(r, c) }
        case .apiRendicontazioni, .apiRendicontazione, .apiConfronto: { r, c in await api.rendicontazioni(r, c, rotta: rotta) }
        }
    }

    static let stile = Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: Modelli.stile)))

    /// The only script (ADR 0024): the figures beside a form's amount refreshed as its fields change, from
    /// `/cifre`, written as text (never markup). The forms work without it: the figures are rendered when a form opens.
    static let script = Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"],
                                 body: ResponseBody(byteBuffer: ByteBuffer(string: Modelli.script)))

    /// The mark of the tab: a blue square with an F, drawn as SVG (no file to install).
    static let favicon = Response(status: .ok, headers: [.contentType: "image/svg+xml", .cacheControl: "max-age=86400"], body: ResponseBody(byteBuffer: ByteBuffer(string: """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b5cab"/><path d="M10 7h13v4h-8.5v4H21v4h-6.5v7H10z" fill="#fff"/></svg>
        """)))

    static func salute(_ archivio: Archivio) async throws -> Response {
        let seq = try await archivio.usa(.lettura) { try $0.numeroEventi() }
        return Api.json(.oggetto(["stato": .stringa("ok"), "ultimo_seq": .intero(seq)]))
    }

    static func metriche(_ archivio: Archivio) async throws -> Response {
        let (seq, chiusura) = try await archivio.usa(.lettura) { r in (try r.numeroEventi(), try r.ultimaChiusura()) }
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: archivio.metriche.testo(ultimoSeq: seq, ultimaChiusura: chiusura))))
    }

    public static func router(archivio: Archivio, configurazione: ConfigurazioneWeb = ConfigurazioneWeb()) -> Router<ContestoFondi> {
        let router = Router(context: ContestoFondi.self)
        router.add(middleware: Osserva(metriche: archivio.metriche))
        router.add(middleware: Intestazioni())
        router.add(middleware: Accesso(archivio: archivio))
        let p = Pagine(archivio: archivio, configurazione: configurazione)
        router.add(middleware: NonTrovato(pagine: p))
        let api = Api(archivio: archivio, configurazione: configurazione)
        for rotta in Rotta.allCases {
            let g = gestore(rotta, p, api)
            router.on(RouterPath(rotta.percorso), method: rotta.metodo) { request, context in try await g(request, context) }
        }
        return router
    }

    /// The server on `indirizzo:porta`; `pronto` is called with the bound host and port once it accepts
    /// connections (port 0 picks a free one).
    public static func applicazione(
        archivio: Archivio, indirizzo: String, porta: Int, configurazione: ConfigurazioneWeb,
        pronto: @escaping @Sendable (String, Int) async -> Void
    ) -> some ApplicationProtocol {
        Application(
            router: router(archivio: archivio, configurazione: configurazione),
            // A connection silent for a minute is closed: a client that stops half-way holds nothing for long.
            server: .http1(configuration: .init(idleTimeout: .seconds(60))),
            configuration: .init(address: .hostname(indirizzo, port: porta), serverName: nil),
            onServerRunning: { canale in await pronto(indirizzo, canale.localAddress?.port ?? porta) }
        )
    }
}

extension Web {
    /// Runs the server until SIGTERM or SIGINT (in-flight requests finish, exit 0). Logs go to stderr; stdout
    /// gets only `in ascolto su http://HOST:PORT`, once the server accepts connections (DOMAIN §8).
    public static func servi(archivio: Archivio, indirizzo: String, porta: Int, configurazione: ConfigurazioneWeb,
                             pronto: @escaping @Sendable (String, Int) async -> Void) async throws {
        // One JSON object per line on stderr (ADR 0018); stdout keeps only the `in ascolto su` line.
        LoggingSystem.bootstrap { etichetta in LogJSON(etichetta: etichetta) }
        // Periodic snapshots the ledger lacks (e.g. after a bulk importa), in the background (ADR 0016).
        archivio.avviaManutenzione()
        let app = applicazione(archivio: archivio, indirizzo: indirizzo, porta: porta, configurazione: configurazione, pronto: pronto)
        try await app.runService()
    }
}
