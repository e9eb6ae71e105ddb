import Fondi
import FondiServizi
import FondiStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The API for programs under `/api/v1/` (DOMAIN §8): the CLI's `--formato json` bodies byte for byte, the
/// same shared layer (Vista, Catalogo, Importazione, Risultati, Autorizzazione), `Authorization: Bearer TOKEN`
/// from `fondi utente token`, every refusal `{"errore": "<the CLI's Italian message>"}` with the status of §8.
struct Api {
    let archivio: Archivio
    let configurazione: ConfigurazioneWeb

    static let prefisso = "/api/v1"
    /// Most commands one `POST comandi` may carry (a bigger batch is `fondi importa`'s job).
    static let comandiMax = 10_000

    /// The query parameters of each API read, by its name under the prefix (`Rotta.parametri`): the handlers
    /// accept exactly these and `openapi.json` lists exactly these.
    static let parametri: [String: [String]] = Dictionary(uniqueKeysWithValues: Rotta.allCases.compactMap { r in
        r.metodo == .get && r != .apiSpecifica ? r.nomeApi.map { ($0, r.parametri) } : nil
    })

    static func ammessi(_ rotta: Rotta) -> Set<String> { Set(rotta.parametri.map { $0.replacingOccurrences(of: "_", with: "-") }) }

    // MARK: - Responses

    static func json(_ v: ValoreJSON, stato: HTTPResponse.Status = .ok) -> Response {
        Response(status: stato, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: v.testoCanonico)))
    }

    static func errore(_ stato: HTTPResponse.Status, _ messaggio: String) -> Response {
        var r = json(.oggetto(["errore": .stringa(messaggio)]), stato: stato)
        // Busy or over the time limit: nothing was written, and the same request may be sent again.
        if stato == .serviceUnavailable { r.headers[.retryAfter] = "1" }
        return r
    }

    static func errore(_ e: any Error) -> Response {
        if let n = e as? NonConsentito { return errore(.forbidden, n.messaggio) }
        return errore(Pagine.stato(e), messaggio(di: e))
    }

    /// The query parameters as the CLI's options (`fino_a` is `--fino-a`); one not in `ammessi` is a usage
    /// error (400), as an unknown option is for the CLI.
    static func valori(_ request: Request, ammessi: Set<String>) throws -> Valori {
        var v = Valori(origine: .riga)
        for (k, valore) in request.uri.queryParameters {
            let nome = String(k).replacingOccurrences(of: "_", with: "-")
            guard ammessi.contains(nome) else {
                throw ErroreUso("parametro sconosciuto '\(Testo.visibile(String(k)))'" + Analisi.suggerimento(nome, tra: ammessi.sorted()))
            }
            guard !valore.isEmpty else { continue }
            if !v.imposta(nome, String(valore)) { throw ErroreUso("parametro '\(Testo.visibile(String(k)))' ripetuto") }
        }
        return v
    }

    // MARK: - Reads

    func rapporto(_ request: Request, _ context: ContestoFondi, rotta: Rotta) async -> Response {
        guard let tipo = rotta.nomeApi.flatMap(TipoRapporto.init(rawValue:)) else { return Self.errore(.notFound, "rapporto sconosciuto") }
        do {
            let richiesta = try RichiestaRapporto(tipo, try Self.valori(request, ammessi: Self.ammessi(rotta)))
            let archivio = self.archivio
            // The body is kept for the chain head it was made at, like a page's (ADR 0015): clients asking the
            // same report between two writes share one computation.
            let corpo = try await archivio.pagina("api " + tipo.rawValue + "?" + (request.uri.query ?? "")) {
                try await archivio.usa(.lettura) { registro -> String in
                    if let fino = richiesta.fino { try Vista.controllaFino(fino, registro) }
                    let stato = try archivio.stato(registro, al: richiesta.al, fino: richiesta.fino, impegni: richiesta.conImpegni)
                    return Rendering.json(try richiesta.tabelle(stato))
                }
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: corpo)))
        } catch {
            return Self.errore(error)
        }
    }

    /// `GET regione/prospetto` (ADR 0021): every readable Ambito's prospetto side by side; 404 on a server
    /// that is not the Region's.
    func regione(_ request: Request, _ context: ContestoFondi) async -> Response {
        do {
            _ = try Self.valori(request, ammessi: Self.ammessi(.apiRegione))
            guard archivio.regione else { return Self.errore(.notFound, "servizio non regionale: avvialo con fondi serve --regione su un registro PostgreSQL") }
            let tabelle = try await archivio.prospettoRegionale()
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: Rendering.json(tabelle))))
        } catch {
            return Self.errore(error)
        }
    }

    /// `GET scadenze` (DOMAIN §10.1): as `fondi scadenze --formato json`.
    func scadenze(_ request: Request, _ context: ContestoFondi) async -> Response {
        do {
            let richiesta = try RichiestaScadenze(try Self.valori(request, ammessi: Self.ammessi(.apiScadenze)))
            let oggi = configurazione.oggi()
            let corpo = try await archivio.usa(.lettura) { registro in
                if let fino = richiesta.fino { try Vista.controllaFino(fino, registro) }
                return Rendering.json([RichiestaScadenze.tabella(try richiesta.valuta(registro, oggi: oggi))])
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: corpo)))
        } catch {
            return Self.errore(error)
        }
    }

    /// `GET rendicontazioni`, `rendicontazione?numero=` (mostra) and `rendicontazione/confronto?numero=` (DOMAIN §10.2).
    func rendicontazioni(_ request: Request, _ context: ContestoFondi, rotta: Rotta) async -> Response {
        do {
            let v = try Self.valori(request, ammessi: Self.ammessi(rotta))
            let numero = rotta == .apiRendicontazioni ? nil : try v.codice("numero").testo
            let destinatario = try v.codiceOpzionale("destinatario")?.testo
            let j: ValoreJSON = try await archivio.usa(.lettura) { registro in
                switch rotta {
                case .apiRendicontazione:
                    let (r, tabelle) = try Rendicontazioni.mostra(numero!, registro)
                    return Rendicontazioni.json(r, tabelle)
                case .apiConfronto: return .oggetto(["righe": Rendering.righe(try Rendicontazioni.confronta(numero!, registro).1)])
                default:
                    let stato = try registro.vista(al: nil, fino: nil, impegni: false, avviso: { _ in })
                    return .oggetto(["righe": Rendering.righe(Rendicontazioni.elenco(stato, destinatario: destinatario))])
                }
            }
            return Self.json(j)
        } catch {
            return Self.errore(error)
        }
    }

    func storia(_ request: Request, _ context: ContestoFondi) async -> Response {
        do {
            let richiesta = try RichiestaStoria(try Self.valori(request, ammessi: Self.ammessi(.apiStoria)))
            return Self.json(try await archivio.usa(.lettura) { RichiestaStoria.json(try richiesta.eventi($0)) })
        } catch {
            return Self.errore(error)
        }
    }

    func verifica(_ request: Request, _ context: ContestoFondi) async -> Response {
        do {
            let v = try Self.valori(request, ammessi: Self.ammessi(.apiVerifica))
            let cercato = try v.testoGrezzo("digest").map { d -> [UInt8] in
                guard let b = Catena.byteDaEsadecimale(d), b.count == 32 else {
                    throw ErroreValore("digest '\(Testo.visibile(d))' non valido: attese 64 cifre esadecimali")
                }
                return b
            }
            do {
                let r = try await archivio.usa(.lettura, senzaLimite: true) { try $0.verifica(digest: cercato) }
                return Self.json(Risultati.verifica(r, digest: cercato), stato: r.differenze.isEmpty ? .ok : .conflict)
            } catch let e as ErroreIntegrita {
                // A broken chain: the verifica object with the first broken seq, 409 (CLI exit 3).
                return Self.json(.oggetto(["esito": .stringa("errore"), "eventi": .nullo, "testa": .nullo,
                                           "differenze": .lista([.stringa(e.description)]), "digest_seq": .nullo]), stato: .conflict)
            }
        } catch {
            return Self.errore(error)
        }
    }

    /// `GET eventi?da=&limite=`: the `esporta` objects, one per line (JSON Lines), so a replica or an auditor
    /// can follow the chain page by page and recompute it (`Scripts/verifica-esportazione.py`).
    func eventi(_ request: Request, _ context: ContestoFondi) async -> Response {
        do {
            let v = try Self.valori(request, ammessi: Self.ammessi(.apiEventi))
            let da = try v.seq("da") ?? 1
            let limite = min(try v.testoGrezzo("limite").map { try Lettura.seq($0, campo: "limite") } ?? 1_000, 100_000)
            let righe = try await archivio.usa(.lettura) { registro -> String in
                var out = ""
                try registro.leggiEventi(da: da, fino: da + limite - 1) { e in
                    out += e.oggettoEsportato.testoCanonico
                    out += "\n"
                }
                return out
            }
            return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: ResponseBody(byteBuffer: ByteBuffer(string: righe)))
        } catch {
            return Self.errore(error)
        }
    }

    // MARK: - Writes

    /// `POST comandi`: one `importa` object, or `{"comandi":[…]}` applied all or nothing; `Idempotency-Key`
    /// as `--chiave` (for a list, as `importa --chiave`: bound to the body's bytes). The signed-in user is the
    /// events' `utente`, whatever the body says; the role is checked for every command before anything is written.
    func comandi(_ request: Request, _ context: ContestoFondi) async -> Response {
        guard let s = context.sessione, let utente = Codice(validando: s.utente.nome) else {
            return Self.errore(.unauthorized, "credenziali mancanti o non valide")
        }
        do {
            let corpo = try await Pagine.corpo(request, context)
            let byte = Array(buffer: corpo)
            let chiave = request.headers[HTTPField.Name("Idempotency-Key")!]
            guard case let .oggetto(radice) = try Self.leggi(byte) else { throw ErroreUso("il corpo deve essere un oggetto JSON") }
            let base = Contesto(data: configurazione.oggi(), atto: nil, utente: utente, chiave: nil)
            if let elenco = radice["comandi"] {
                guard radice.count == 1, case let .lista(voci) = elenco else {
                    throw ErroreUso("il corpo è un comando (\"comando\": …) oppure {\"comandi\": [ … ]} e nient'altro")
                }
                guard !voci.isEmpty else { throw ErroreValore("'comandi' è vuoto: nessun comando da applicare") }
                guard voci.count <= Self.comandiMax else {
                    throw ErroreValore("\(voci.count) comandi: al più \(Self.comandiMax) per richiesta (per di più usa fondi importa)")
                }
                var passi: [Passo] = []
                for (i, voce) in voci.enumerated() {
                    do {
                        guard case let .oggetto(o) = voce else { throw ErroreUso("ogni elemento di 'comandi' deve essere un oggetto") }
                        passi.append(try passo(o, base: base, utente: utente, ruolo: s.utente.ruolo, chiave: nil, riga: i + 1))
                    } catch {
                        throw Elemento(indice: i, errore: error)
                    }
                }
                let lotto = passi
                let contenuto = try chiave.map { k -> (String, String) in
                    _ = try Codice(k, campo: "Idempotency-Key")
                    return (k, "{\"comando\":\"comandi\",\"sha256\":\"\(Catena.impronta(byte))\"}")
                }
                let r: RiepilogoLotto
                do {
                    r = try await archivio.registraLotto(lotto, chiaveComplessiva: contenuto)
                } catch let e as RifiutoRiga {
                    throw Elemento(indice: e.riga - 1, errore: e)
                }
                return Self.json(Risultati.lotto(righe: r.ripetuto && r.passi == 0 ? lotto.count : r.passi, r))
            }
            let p: Passo
            do {
                p = try passo(radice, base: base, utente: utente, ruolo: s.utente.ruolo, chiave: chiave, riga: nil)
            } catch let e as RifiutoRiga {
                throw ErroreValore(e.messaggio)
            } catch let e as ErroreUsoRiga {
                throw ErroreUso(e.messaggio)
            }
            let prova = radice["prova"] == .booleano(true) || radice["prova"] == .stringa("true")
            let esiti = try await archivio.registra([p], prova: prova)
            if case .chiudi = p.comando {
                return Self.json(try ValoreJSON.leggi(Risultati.chiusura(esiti[0], prova: prova, formato: .json) { Risultati.esiti([$0]).testoCanonico }))
            }
            return Self.json(Rendicontazioni.righe(esiti) == nil ? Risultati.esiti(esiti) : Rendicontazioni.json(esiti, prova: prova))
        } catch let e as Elemento {
            return Self.errore(e.errore is NonConsentito ? .forbidden : Pagine.stato(e.errore), "comandi[\(e.indice)]: " + Self.senzaRiga(e.errore))
        } catch {
            return Self.errore(error)
        }
    }

    /// A refusal of the `i`-th element of `comandi` (counted from 0, as a JSON path counts).
    struct Elemento: Error {
        let indice: Int
        let errore: any Error
    }

    /// The message without `riga 1: `, which a record built from an object carries.
    static func senzaRiga(_ e: any Error) -> String {
        switch e {
        case let r as RifiutoRiga: r.messaggio
        case let u as ErroreUsoRiga: u.messaggio
        case let n as NonConsentito: n.messaggio
        default: messaggio(di: e)
        }
    }

    static func leggi(_ byte: [UInt8]) throws -> ValoreJSON {
        do { return try ValoreJSON.leggi(String(decoding: byte, as: UTF8.self)) } catch { throw ErroreUso("corpo JSON non valido: \(messaggio(di: error))") }
    }

    /// One object of the body as an `importa` line: checked like one, then the role, then the command built.
    func passo(_ o: [String: ValoreJSON], base: Contesto, utente: Codice, ruolo: Ruolo, chiave: String?, riga: Int?) throws -> Passo {
        var campi = o.filter { $0.key != "utente" && $0.key != "prova" }.sorted { $0.key < $1.key }
        if let chiave { campi.removeAll { $0.key == "chiave" }; campi.append(("chiave", .stringa(chiave))) }
        let r = try Importazione.record(campi.map { ($0.key, $0.value) }, riga: riga ?? 1)
        guard let comando = r.campi.first(where: { $0.0 == "comando" })?.1 else {
            throw ErroreUso("campo 'comando' mancante (es. \"comando\":\"impegna\")")
        }
        let nome = Catalogo.definizione(comando)?.nome ?? comando
        guard Autorizzazione.puo(ruolo, nome) else { throw NonConsentito(messaggio: "il ruolo \(ruolo.rawValue) non consente '\(nome)'") }
        let p = try Importazione.passo(r, base: base)
        let c = p.contesto
        return Passo(comando: p.comando, contesto: Contesto(data: c.data, atto: c.atto, utente: utente, chiave: c.chiave), riga: riga)
    }
}

/// A role that may not do what it asked: 403.
struct NonConsentito: Error, CustomStringConvertible {
    let messaggio: String
    var description: String { messaggio }
}
