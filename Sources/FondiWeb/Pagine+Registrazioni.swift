import Fondi
import FondiServizi
import FondiStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/prenotazioni`, `/prenotazione`, `/accertamenti`, `/accertamento` (issue 21): the lists and the detail pages
/// of the armonizzazione's records, like the impegni's, with the acts that follow from each (impegnare on a
/// prenotazione, incassare on an accertamento) as links to their forms filled in.
extension Pagine {
    /// A list: at the head from the tables; with `?al=` / `?fino_a=` from the same state as the reports. 50 rows a
    /// page with the totals of every matching row; the page's body is kept per chain head (ADR 0015).
    func registrazioni(_ request: Request, _ context: ContestoFondi, rotta: Rotta) async -> Response {
        do {
            let v = try Self.valori(request, rotta)
            let al = try v.data("al"), fino = try v.seq("fino-a")
            let fonte = try v.codiceOpzionale("fonte")?.testo, esercizio = try v.annoOpzionale("esercizio")
            var pagina = 1
            if let p = v.testoGrezzo("pagina") {
                pagina = Int(try Lettura.intero(p, campo: "pagina", tra: 1...Int64(RicercaImpegni.paginaMax), atteso: "un numero di pagina"))
            }
            let nome = rotta == .prenotazioni ? "prenotazioni" : "accertamenti"
            let formato = request.uri.queryParameters.get("formato")
            let archivio = self.archivio
            func tabella() async throws -> Tabella {
                try await archivio.usa(.lettura) { r -> Tabella in
                    if al == nil && fino == nil {
                        return rotta == .prenotazioni ? Self.tabellaPrenotazioni(try r.prenotazioni(fonte: fonte, esercizio: esercizio))
                            : Self.tabellaAccertamenti(try r.accertamenti(fonte: fonte, esercizio: esercizio))
                    }
                    let s = try archivio.stato(r, al: al, fino: fino, impegni: true)
                    if rotta == .prenotazioni {
                        return Self.tabellaPrenotazioni(s.prenotazioni.values.filter { (fonte == nil || $0.linea.fonte == fonte) && (esercizio == nil || $0.linea.esercizio == esercizio) }
                            .sorted { $0.numero < $1.numero })
                    }
                    return Self.tabellaAccertamenti(s.accertamenti.values.filter { (fonte == nil || $0.fonte == fonte) && (esercizio == nil || $0.esercizio == esercizio) }
                        .sorted { $0.numero < $1.numero })
                }
            }
            if let formato {
                return try Self.scaricamento([try await tabella()], formato: formato, nome: Self.nomeFile(nome, [("fonte", fonte), ("esercizio", esercizio.map(String.init))], al: al, fino: fino))
            }
            let corpo = try await archivio.pagina(request.uri.path + "?" + (request.uri.query ?? "")) {
                let t = try await tabella()
                let totali = Rendering.totali(t)
                var pezzo = t
                pezzo.righe = Array(t.righe.dropFirst((pagina - 1) * RicercaImpegni.perPagina).prefix(RicercaImpegni.perPagina))
                var corpo = Self.moduloTempo(request, al: al, fino: fino) + Self.filtriElenco(request, fonte: fonte, esercizio: esercizio)
                let titolo = "\(t.righe.count) \(nome)" + (t.righe.count > RicercaImpegni.perPagina ? ", pagina \(pagina)" : "")
                corpo += Self.tabellaHTML(pezzo, titolo: titolo, scarica: (Self.inFormato(request, "csv"), Self.inFormato(request, "xlsx")), totali: true, somme: totali)
                return corpo + Self.paginazione(request, pagina: pagina, totale: t.righe.count)
            }
            return self.pagina(rotta == .prenotazioni ? "Prenotazioni" : "Accertamenti", corpo, context, vista: Self.vista(request, al: al, fino: fino))
        } catch {
            return errore(error, context)
        }
    }

    static func tabellaPrenotazioni(_ l: [Prenotazione]) -> Tabella {
        var t = Tabella(nome: "prenotazioni", colonne: ["prenotazione", "fonte", "servizio", "esercizio", "data", "oggetto", "importo", "ridotto", "impegnato", "da_impegnare"])
        t.righe = l.map { p in
            [.testo(p.numero), .testo(p.linea.fonte), .testo(p.linea.servizio), .intero(Int64(p.linea.esercizio)), .data(p.data), .testo(p.oggetto),
             .importo(p.importo), .importo(p.ridotto), .importo(p.impegnato), .importo(p.daImpegnare)]
        }
        return t
    }

    static func tabellaAccertamenti(_ l: [Accertamento]) -> Tabella {
        var t = Tabella(nome: "accertamenti", colonne: ["accertamento", "fonte", "esercizio", "data", "debitore", "accertato", "riscosso", "da_riscuotere"])
        t.righe = l.map { a in
            [.testo(a.numero), .testo(a.fonte), .intero(Int64(a.esercizio)), .data(a.data), .testo(a.debitore), .importo(a.accertato), .importo(a.riscosso),
             .importo(a.daRiscuotere)]
        }
        return t
    }

    /// The visible filters of a list (fonte, esercizio), with a link that clears them.
    static func filtriElenco(_ request: Request, fonte: String?, esercizio: Int?) -> String {
        let e = escape
        let nascosti = request.uri.queryParameters.filter { ["al", "fino_a"].contains(String($0.key)) }
            .map { "<input type=\"hidden\" name=\"\(e(String($0.key)))\" value=\"\(e(String($0.value)))\">" }.joined()
        let togli = fonte != nil || esercizio != nil ? " <a href=\"\(e(request.uri.path))\">Togli i filtri</a>" : ""
        return """
            <form method="get" class="tempo filtri">\(nascosti)
            <label>Fonte <input name="fonte" value="\(e(fonte ?? ""))" size="14"></label>
            <label>Esercizio <input name="esercizio" value="\(esercizio.map(String.init) ?? "")" size="5" inputmode="numeric"></label>
            <button>Filtra</button>\(togli)</form>
            """
    }

    /// A prenotazione or an accertamento: its figures, the acts it allows, what hangs on it, and its trail.
    func registrazione(_ request: Request, _ context: ContestoFondi, rotta: Rotta) async -> Response {
        do {
            let v = try Self.valori(request, rotta)
            let cosa = rotta == .prenotazione ? "prenotazione" : "accertamento"
            guard let numero = try v.codiceOpzionale("numero")?.testo else { throw ErroreValore("indica il numero \(rotta == .prenotazione ? "della prenotazione" : "dell'accertamento") (numero)") }
            let al = try v.data("al"), fino = try v.seq("fino-a")
            let vista = Self.vista(request, al: al, fino: fino)
            // Acts are offered at the present only.
            let ruolo: Ruolo = vista == nil ? context.sessione?.utente.ruolo ?? .consultazione : .consultazione
            let corpo = try await archivio.usa(.lettura) { r -> String in
                if al != nil || fino != nil { return try Self.registrazioneNelPassato(r, rotta: rotta, numero: numero, al: al, fino: fino) }
                if rotta == .prenotazione {
                    guard let p = try r.prenotazione(numero) else { throw Rifiuto(regola: "4.1", "prenotazione '\(numero)' sconosciuta") }
                    return Self.corpoPrenotazione(p, impegni: try r.impegni(prenotazione: numero), ruolo: ruolo)
                }
                guard let a = try r.accertamento(numero) else { throw Rifiuto(regola: "4.1", "accertamento '\(numero)' sconosciuto") }
                return Self.corpoAccertamento(a, riscossioni: try r.riscossioni(accertamento: numero), ruolo: ruolo)
            }
            let traccia = "<p><a href=\"/storia?\(cosa)=\(Self.escape(numero.percentoCodificato))\">Traccia degli eventi (storia)</a></p>"
            let tempo = Self.moduloTempo(request, al: al, fino: fino)
            return pagina((rotta == .prenotazione ? "Prenotazione " : "Accertamento ") + numero, tempo + corpo + traccia, context, vista: vista)
        } catch {
            return errore(error, context)
        }
    }

    /// A prenotazione or an accertamento as it was at `al` / after `fino`: its own events folded alone, like an
    /// impegno's page (the subject's events are found by a scan of the log: a view of the past costs more).
    static func registrazioneNelPassato(_ r: Registro, rotta: Rotta, numero: String, al: DataContabile?, fino: Int64?) throws -> String {
        if let fino { try Vista.controllaFino(fino, r) }
        let prenotazione = rotta == .prenotazione
        guard try prenotazione ? r.prenotazione(numero) != nil : r.accertamento(numero) != nil else {
            throw Rifiuto(regola: "4.1", prenotazione ? "prenotazione '\(numero)' sconosciuta" : "accertamento '\(numero)' sconosciuto")
        }
        var stato = Stato()
        stato.tollerante = true
        try Vista.eventiStoria(r, prenotazione ? .prenotazione(numero) : .accertamento(numero), al: al, fino: fino) {
            stato.applica($0.evento, seq: $0.seq, data: $0.data, atto: $0.atto)
        }
        if prenotazione, let p = stato.prenotazioni[numero] {
            return corpoPrenotazione(p, impegni: stato.impegni.values.filter { $0.prenotazione == numero }.sorted { $0.numero < $1.numero }, ruolo: .consultazione)
        }
        if !prenotazione, let a = stato.accertamenti[numero] {
            return corpoAccertamento(a, riscossioni: stato.riscossioni.values.filter { $0.accertamento == numero }.sorted { ($0.data, $0.reversale) < ($1.data, $1.reversale) },
                                     ruolo: .consultazione)
        }
        return "<p>Non ancora registrato a quel punto della storia.</p>"
    }

    /// Links to the forms of the acts `ruolo` may give, each filled in from the record.
    static func azioni(_ voci: [(comando: String, etichetta: String, valori: [(String, String)])], ruolo: Ruolo) -> String {
        let permesse = voci.filter { Autorizzazione.puo(ruolo, $0.comando) }
        guard !permesse.isEmpty else { return "" }
        let link = permesse.map { v in
            let query = v.valori.map { "\($0.0)=\($0.1.percentoCodificato)" }.joined(separator: "&")
            return "<a class=\"azione\" href=\"\(escape("/comandi/" + v.comando.replacingOccurrences(of: " ", with: "-") + "?" + query))\">\(escape(v.etichetta))</a>"
        }
        return "<nav class=\"azioni\" aria-label=\"Azioni\">" + link.joined() + "</nav>"
    }

    static func corpoPrenotazione(_ p: Prenotazione, impegni: [Impegno], ruolo: Ruolo) -> String {
        let l = p.linea
        var corpo = azioni([
            ("impegna", "Impegna su questa prenotazione", [("prenotazione", p.numero), ("fonte", l.fonte), ("servizio", l.servizio), ("esercizio", "\(l.esercizio)"),
                                                          ("importo", Importo.formatoItaliano(p.daImpegnare)), ("oggetto", p.oggetto)]),
            ("prenotazione riduci", "Riduci", [("prenotazione", p.numero), ("importo", Importo.formatoItaliano(p.daImpegnare))]),
        ].filter { $0.comando != "impegna" || p.daImpegnare > 0 }, ruolo: ruolo)
        corpo += "<dl class=\"evento\"><dt>Linea</dt><dd><a href=\"/impegni?fonte=\(escape(l.fonte.percentoCodificato))&amp;servizio=\(escape(l.servizio.percentoCodificato))&amp;esercizio=\(l.esercizio)\">\(escape(l.description))</a></dd>"
        corpo += "<dt>Data</dt><dd>\(p.data.italiano)</dd><dt>Oggetto</dt><dd>\(escape(p.oggetto))</dd></dl>"
        var cifre = Tabella(nome: "prenotazione", colonne: ["importo", "ridotto", "impegnato", "da_impegnare"])
        cifre.righe = [[.importo(p.importo), .importo(p.ridotto), .importo(p.impegnato), .importo(p.daImpegnare)]]
        corpo += cifreHTML(cifre)
        var t = Tabella(nome: "impegni", colonne: ["impegno", "data", "creditore", "oggetto", "impegnato", "pagato", "da_pagare"])
        t.righe = impegni.map { [.testo($0.numero), .data($0.data), .testo($0.creditore), .testo($0.oggetto), .importo($0.impegnato), .importo($0.pagato), .importo($0.daPagare)] }
        return corpo + "<h2>Impegni assunti sulla prenotazione</h2>" + (t.righe.isEmpty ? "<p>Nessun impegno.</p>" : tabellaHTML(t, titolo: nil, totali: true))
    }

    static func corpoAccertamento(_ a: Accertamento, riscossioni: [Riscossione], ruolo: Ruolo) -> String {
        var corpo = azioni([
            ("incassa", "Incassa (reversale)", [("accertamento", a.numero), ("importo", Importo.formatoItaliano(a.daRiscuotere))]),
            ("accertamento riduci", "Riduci", [("accertamento", a.numero), ("importo", Importo.formatoItaliano(a.daRiscuotere))]),
        ].filter { _ in a.daRiscuotere > 0 }, ruolo: ruolo)
        corpo += "<dl class=\"evento\"><dt>Fonte</dt><dd><a href=\"/saldi?per=linea&amp;fonte=\(escape(a.fonte.percentoCodificato))\">\(escape(a.fonte))</a></dd>"
        corpo += "<dt>Esercizio</dt><dd>\(a.esercizio)</dd><dt>Data</dt><dd>\(a.data.italiano)</dd><dt>Debitore</dt><dd>\(escape(a.debitore))</dd></dl>"
        var cifre = Tabella(nome: "accertamento", colonne: ["importo", "ridotto", "accertato", "riscosso", "da_riscuotere"])
        cifre.righe = [[.importo(a.importo), .importo(a.ridotto), .importo(a.accertato), .importo(a.riscosso), .importo(a.daRiscuotere)]]
        corpo += cifreHTML(cifre)
        var t = Tabella(nome: "riscossioni", colonne: ["reversale", "data", "importo"])
        t.righe = riscossioni.map { [.testo($0.reversale), .data($0.data), .importo($0.importo)] }
        return corpo + "<h2>Riscossioni</h2>" + (t.righe.isEmpty ? "<p>Nessuna riscossione.</p>" : tabellaHTML(t, titolo: nil, totali: true))
    }
}
