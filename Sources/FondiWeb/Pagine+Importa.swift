import Fondi
import FondiServizi
import FondiStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/importa` and `/istantanee` (issue 21): what needed the CLI, in the browser, for the responsabile. A JSON Lines
/// or CSV file (Excel's `;` and BOM included) is read by the CLI's `Importazione` and applied all or nothing; a
/// refusal names its line, as `fondi importa` does. The signed-in user is recorded as the author of every line.
extension Pagine {
    /// The largest file the page takes (the API's 256 KiB is for single commands): about 40,000 lines of commands.
    static let fileMax = 8 * 1024 * 1024

    func moduloImporta(_ context: ContestoFondi, messaggio: String? = nil, ok: String? = nil, stato: HTTPResponse.Status = .ok) -> Response {
        guard let s = context.sessione, s.utente.ruolo >= .responsabile else { return vietato(context, "l'importazione di file") }
        let e = Self.escape
        var corpo = "<p class=\"sintesi\">Importa comandi da un file JSON Lines (<code>.jsonl</code>) o CSV (<code>.csv</code>, anche salvato da Excel con il punto e virgola): "
            + "una riga per comando, con le stesse chiavi di <code>fondi importa</code>. Tutto o niente: se una riga è rifiutata, nulla è registrato e la riga è indicata.</p>"
        if let ok { corpo += "<p class=\"ok\" role=\"status\">\(e(ok))</p>" }
        if let messaggio { corpo += "<p class=\"errore\" role=\"alert\">\(e(messaggio))</p>" }
        corpo += """
            <form method="post" action="/importa" enctype="multipart/form-data" class="modulo stretto" novalidate>
            <input type="hidden" name="csrf" value="\(e(s.csrf))"><input type="hidden" name="chiave" value="web-\(Registro.segreto())">
            <div class="campo"><label for="file">File da importare</label><input id="file" name="file" type="file" accept=".jsonl,.json,.ndjson,.csv" required
            aria-describedby="aiuto-file"><small id="aiuto-file">al più \(Self.fileMax / 1024 / 1024) MiB; per file più grandi usa fondi importa</small></div>
            <p><button>Importa</button></p></form>
            """
        return pagina("Importa comandi", corpo, context, stato: stato)
    }

    func inviaImporta(_ request: Request, _ context: ContestoFondi) async -> Response {
        guard let s = context.sessione, s.utente.ruolo >= .responsabile else { return vietato(context, "l'importazione di file") }
        do {
            let parti = try await Self.multipart(request)
            guard let csrf = parti.first(where: { $0.nome == "csrf" }), Self.csrfValido([("csrf", String(decoding: csrf.byte, as: UTF8.self))], atteso: s.csrf) else {
                return vietato(context, "questa richiesta senza token CSRF")
            }
            guard let file = parti.first(where: { $0.nome == "file" }), let nome = file.file, !file.byte.isEmpty else {
                throw ErroreValore("file mancante: scegli un file .jsonl o .csv")
            }
            guard let utente = Codice(validando: s.utente.nome) else { throw ErroreValore("nome utente non valido") }
            let chiave = try parti.first { $0.nome == "chiave" }.map { try Codice(String(decoding: $0.byte, as: UTF8.self), campo: "chiave") }
            let byte = file.byte, oggi = configurazione.oggi()
            let contenuto = chiave.map { ($0.testo, "{\"comando\":\"importa\",\"sha256\":\"\(Catena.impronta(byte))\"}") }
            let r = try await archivio.importa(byte: byte, nome: nome, base: Contesto(data: oggi, atto: nil, utente: utente, chiave: nil), chiaveComplessiva: contenuto)
            let intervallo = r.primo.flatMap { p in r.ultimo.map { " (eventi n. \(p.seq)–\($0.seq))" } } ?? ""
            return moduloImporta(context, ok: r.ripetuto ? "file già importato: nulla è stato scritto" : "\(nome): importate \(r.passi) righe, \(r.eventi) eventi\(intervallo)")
        } catch {
            return moduloImporta(context, messaggio: messaggio(di: error), stato: Self.stato(error))
        }
    }

    /// One part of a `multipart/form-data` body.
    struct Parte {
        let nome: String
        let file: String?
        let byte: [UInt8]
    }

    /// The parts of a `multipart/form-data` body of at most `fileMax` bytes (RFC 7578): each part's name, file name and bytes.
    static func multipart(_ request: Request) async throws -> [Parte] {
        guard let tipo = request.headers[.contentType], tipo.lowercased().hasPrefix("multipart/form-data"),
              let b = tipo.range(of: "boundary=") else { throw ErroreUso("invia il file con il modulo della pagina (multipart/form-data)") }
        let valore = tipo[b.upperBound...].split(separator: ";", omittingEmptySubsequences: false).first ?? ""
        let confine = Array(("--" + valore.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))).utf8)
        guard confine.count > 2, confine.count <= 72 else { throw ErroreUso("modulo non leggibile: confine multipart non valido") }
        let corpo: ByteBuffer
        do { corpo = try await request.body.collect(upTo: fileMax + 64 * 1024) } catch {
            throw ErroreLimite("file oltre \(fileMax / 1024 / 1024) MiB: usa fondi importa dalla riga di comando")
        }
        let dati = Array(buffer: corpo)
        var parti: [Parte] = []
        var i = Self.trova(confine, in: dati, da: 0)
        while let inizio = i {
            let dopo = inizio + confine.count
            guard dopo + 2 <= dati.count, !(dati[dopo] == 0x2D && dati[dopo + 1] == 0x2D) else { break }
            // The part's content starts after the blank line and ends at the CRLF before the next delimiter.
            guard let fineTesta = Self.trova(Array("\r\n\r\n".utf8), in: dati, da: dopo),
                  let prossimo = Self.trova([0x0D, 0x0A] + confine, in: dati, da: fineTesta + 2), prossimo >= fineTesta + 4 else {
                throw ErroreUso("modulo non leggibile: parte multipart incompleta")
            }
            let testa = String(decoding: dati[dopo..<fineTesta], as: UTF8.self)
            // `; name="…"` and `; filename="…"` of Content-Disposition, each matched with its leading `; `.
            func attributo(_ n: String) -> String? {
                guard let r = testa.range(of: "; " + n + "=\"") else { return nil }
                return String(testa[r.upperBound...].prefix { $0 != "\"" })
            }
            if let nome = attributo("name") { parti.append(Parte(nome: nome, file: attributo("filename"), byte: Array(dati[(fineTesta + 4)..<prossimo]))) }
            i = prossimo + 2
        }
        return parti
    }

    /// The first index of `ago` in `pagliaio` from `da`, or nil.
    static func trova(_ ago: [UInt8], in pagliaio: [UInt8], da: Int) -> Int? {
        guard !ago.isEmpty, pagliaio.count >= ago.count, da <= pagliaio.count - ago.count else { return nil }
        var k = da
        while k <= pagliaio.count - ago.count {
            if pagliaio[k] == ago[0], pagliaio[k..<(k + ago.count)].elementsEqual(ago) { return k }
            k += 1
        }
        return nil
    }

    /// `/istantanee`: the snapshots, newest first, each checked; the responsabile can make one at the last event.
    func istantanee(_ context: ContestoFondi, ok: String? = nil, messaggio: String? = nil, stato: HTTPResponse.Status = .ok) async -> Response {
        do {
            let elenco = try await archivio.usa(.lettura) { try $0.istantanee() }
            var t = Tabella(nome: "istantanee", colonne: ["seq", "creata_il", "digest", "byte", "integra"])
            t.righe = elenco.map { [.intero($0.seq), .testo(Self.oraLocale($0.creataIl)), .testo($0.digest), .intero($0.byte), .booleano($0.integra)] }
            var corpo = ""
            if let ok { corpo += "<p class=\"ok\" role=\"status\">\(Self.escape(ok))</p>" }
            if let messaggio { corpo += "<p class=\"errore\" role=\"alert\">\(Self.escape(messaggio))</p>" }
            corpo += "<p class=\"sintesi\">Le istantanee fissano lo stato a un evento con il suo digest: rendono veloci le viste nel passato. Se ne crea una ogni \(Registro.passoIstantanee) eventi da sola.</p>"
            if let s = context.sessione, s.utente.ruolo >= .responsabile {
                corpo += "<form method=\"post\" action=\"/istantanee\"><input type=\"hidden\" name=\"csrf\" value=\"\(Self.escape(s.csrf))\"><button>Crea un'istantanea all'ultimo evento</button></form>"
            }
            corpo += Self.tabellaHTML(t, titolo: "\(elenco.count) istantanee")
            return pagina("Istantanee", corpo, context, stato: stato)
        } catch {
            return errore(error, context)
        }
    }

    func inviaIstantanea(_ request: Request, _ context: ContestoFondi) async -> Response {
        let campi: [(String, String)]
        do { campi = try await Self.campi(request, context) } catch { return errore(error, context) }
        guard let s = context.sessione, Self.csrfValido(campi, atteso: s.csrf) else { return vietato(context, "questa richiesta senza token CSRF") }
        guard s.utente.ruolo >= .responsabile else { return vietato(context, "la creazione di istantanee") }
        do {
            let i = try await archivio.usa(.scrittura) { try $0.creaIstantanea() }
            return await istantanee(context, ok: "istantanea creata al seq \(i.seq), digest \(i.digest)")
        } catch {
            return await istantanee(context, messaggio: messaggio(di: error), stato: Self.stato(error))
        }
    }
}

extension Archivio {
    /// A whole file of commands, all or nothing, as `fondi importa` applies it (the lines read as they are applied).
    func importa(byte: [UInt8], nome: String, base: Contesto, chiaveComplessiva: (chiave: String, contenuto: String)?) async throws -> RiepilogoLotto {
        let r = try await usa(.scrittura) { registro -> RiepilogoLotto in
            let importazione = try Importazione(byte: byte, nome: nome, base: base)
            return try registro.registra(flusso: {
                guard let p = try importazione.prossimo() else { return nil }
                // The author is who is signed in, whatever a line's `utente` says.
                let c = p.contesto
                return Passo(comando: p.comando, contesto: Contesto(data: c.data, atto: c.atto, utente: base.utente, chiave: c.chiave), riga: p.riga)
            }, chiaveComplessiva: chiaveComplessiva)
        }
        if !r.ripetuto { metriche.applicati(r.passi) }
        if let seq = r.ultimo?.seq { manutenzione.dopoScrittura(seq: seq) }
        return r
    }
}
