import Fondi
import FondiServizi
import FondiStore
import HTTPTypes
import Logging
import Hummingbird
import NIOCore

/// `fondi serve` (DOMAIN §8): the routes, the middleware and the application.
public enum Web {
    public static func router(archivio: Archivio, configurazione: ConfigurazioneWeb = ConfigurazioneWeb()) -> Router<ContestoFondi> {
        let router = Router(context: ContestoFondi.self)
        router.add(middleware: Osserva(metriche: archivio.metriche))
        router.add(middleware: Intestazioni())
        router.add(middleware: Accesso(archivio: archivio))
        let p = Pagine(archivio: archivio, configurazione: configurazione)

        router.get("/stile.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: Modelli.stile)))
        }
        router.get("/salute") { _, _ -> Response in
            let seq = try await archivio.usa(.lettura) { try $0.numeroEventi() }
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: ValoreJSON.oggetto(["stato": .stringa("ok"), "ultimo_seq": .intero(seq)]).testoCanonico)))
        }
        router.get("/metriche") { _, _ -> Response in
            let (seq, chiusura) = try await archivio.usa(.lettura) { r in (try r.numeroEventi(), try r.ultimaChiusura()) }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: archivio.metriche.testo(ultimoSeq: seq, ultimaChiusura: chiusura))))
        }
        router.get("/accesso") { request, context in p.moduloAccesso(request, context) }
        router.post("/accesso") { request, context in try await p.accedi(request, context) }
        router.post("/uscita") { request, context in try await p.esci(request, context) }

        router.get("/") { request, context in await p.rapporto(request, context, tipo: "cruscotto") }
        router.get("/saldi") { request, context in await p.rapporto(request, context, tipo: "saldi") }
        router.get("/residui") { request, context in await p.rapporto(request, context, tipo: "residui") }
        router.get("/prospetto") { request, context in await p.rapporto(request, context, tipo: "prospetto") }
        router.get("/regione") { request, context in await p.regione(request, context) }
        router.get("/storia") { request, context in await p.storia(request, context) }
        router.get("/impegni") { request, context in await p.impegni(request, context) }
        router.get("/impegno") { request, context in await p.impegno(request, context) }
        router.get("/eventi/:seq") { request, context in await p.evento(request, context) }
        router.get("/verifica") { request, context in await p.verifica(request, context) }
        router.get("/utente") { _, context in
            let u = context.sessione!.utente
            return p.pagina("Utente", Modelli.rendi("testo", ["testo": "Hai eseguito l'accesso come \(u.nome), ruolo \(u.ruolo.rawValue)."]), context)
        }
        router.get("/comandi") { _, context in p.elenco(context) }
        router.get("/comandi/:comando") { request, context in await p.mostraModulo(request, context) }
        router.post("/comandi/:comando") { request, context in await p.inviaModulo(request, context) }
        router.get("/registrato") { request, context in await p.mostraRegistrato(request, context) }
        router.get("/chiusura") { request, context in await p.chiusura(request, context) }
        Api(archivio: archivio, configurazione: configurazione).aggiungi(a: router)
        router.post("/chiusura") { request, context in await p.inviaChiusura(request, context) }
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
