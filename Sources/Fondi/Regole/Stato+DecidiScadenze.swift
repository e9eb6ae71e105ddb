/// `decidi` for scadenze and rendicontazioni (DOMAIN §10): each command's rules, in the words of its refusals.
extension Stato {
    func decidiScadenzaFissa(_ n: NumeroScadenza, _ f: CodiceFonte, _ tipo: TipoScadenza, _ termine: DataContabile, _ soglia: Int?,
                             _ base: BaseScadenza?, _ destinatario: Codice?, _ copertura: DataContabile?, data: DataContabile) throws(Rifiuto) -> [Evento] {
        let numero = n.testo
        guard scadenze[numero] == nil else { throw Rifiuto(regola: "10.1", "scadenza \(numero) già esistente: il numero non può essere riusato") }
        _ = try fonte(f.testo)
        // The fonte must be registered by an event dated up to the fixing (the store's view of that day).
        guard let vista = prospettoAl, vista.giorno == data else {
            throw Rifiuto(regola: "10.1", "scadenza \(numero): la vista al \(data) non è stata calcolata da questo registro")
        }
        if vista.righe[f.testo] == nil {
            throw Rifiuto(regola: "10.1", "scadenza \(numero): la fonte \(f) non è ancora registrata al \(data)")
        }
        if tipo == .rendicontazione {
            if soglia != nil { throw Rifiuto(regola: "10.1", "scadenza \(numero): --soglia non si usa con il tipo rendicontazione") }
            if base != nil { throw Rifiuto(regola: "10.1", "scadenza \(numero): --base non si usa con il tipo rendicontazione") }
            guard let destinatario else { throw Rifiuto(regola: "10.1", "scadenza \(numero): il tipo rendicontazione richiede --destinatario") }
            guard let copertura else { throw Rifiuto(regola: "10.1", "scadenza \(numero): il tipo rendicontazione richiede --copertura") }
            return [.scadenzaFissata(numero: numero, fonte: f.testo, tipo: tipo, termine: termine, soglia: nil, base: nil,
                                     destinatario: destinatario.testo, copertura: copertura)]
        }
        if destinatario != nil { throw Rifiuto(regola: "10.1", "scadenza \(numero): --destinatario si usa solo con il tipo rendicontazione") }
        if copertura != nil { throw Rifiuto(regola: "10.1", "scadenza \(numero): --copertura si usa solo con il tipo rendicontazione") }
        if let soglia, !(1...100).contains(soglia) {
            throw Rifiuto(regola: "10.1", "scadenza \(numero): soglia \(soglia) non valida: attesa una percentuale intera da 1 a 100")
        }
        return [.scadenzaFissata(numero: numero, fonte: f.testo, tipo: tipo, termine: termine, soglia: soglia ?? 100, base: base ?? .assegnato,
                                 destinatario: nil, copertura: nil)]
    }

    /// A scadenza that can still be prorogued or revoked: known, not revoked, not dated before its fixing.
    func scadenzaAttiva(_ n: NumeroScadenza, data: DataContabile, atto: String) throws(Rifiuto) -> Scadenza {
        guard let s = scadenze[n.testo] else { throw Rifiuto(regola: "4.1", "scadenza '\(n)' sconosciuta") }
        guard !s.revocata else { throw Rifiuto(regola: "10.1", "scadenza \(n) revocata: nessuna \(atto) è ammessa") }
        guard data >= s.fissataIl else {
            throw Rifiuto(regola: "10.1", "\(atto) della scadenza \(n): la data \(data.italiano) è anteriore al \(s.fissataIl.italiano), quando la scadenza è stata fissata")
        }
        return s
    }

    func decidiScadenzaProroga(_ n: NumeroScadenza, _ termine: DataContabile, _ motivo: Testo, data: DataContabile) throws(Rifiuto) -> [Evento] {
        let s = try scadenzaAttiva(n, data: data, atto: "proroga")
        guard termine > s.termine else {
            throw Rifiuto(regola: "10.1", "scadenza \(n): il nuovo termine \(termine) deve essere successivo a quello attuale (\(s.termine))")
        }
        return [.scadenzaProrogata(scadenza: n.testo, termine: termine, motivo: motivo.testo)]
    }

    func decidiScadenzaRevoca(_ n: NumeroScadenza, _ motivo: Testo, data: DataContabile) throws(Rifiuto) -> [Evento] {
        _ = try scadenzaAttiva(n, data: data, atto: "revoca")
        return [.scadenzaRevocata(scadenza: n.testo, motivo: motivo.testo)]
    }

    func decidiRendiconta(_ n: NumeroRendicontazione, _ destinatario: Codice, _ al: DataContabile, _ fonti: [CodiceFonte]?, _ motivo: Testo?,
                          data: DataContabile) throws(Rifiuto) -> [Evento] {
        let numero = n.testo
        guard rendicontazioni[numero] == nil else {
            throw Rifiuto(regola: "10.2", "rendicontazione \(numero) già esistente: il numero non può essere riusato")
        }
        guard al <= data else { throw Rifiuto(regola: "10.2", "rendicontazione \(numero): la data di riferimento --al \(al) è successiva alla data dell'atto \(data)") }
        // The store computes the view before deciding (`Comando.giornoDellaVista`); a caller that did not is refused, not trapped.
        guard let vista = prospettoAl, vista.giorno == al else {
            throw Rifiuto(regola: "10.2", "rendicontazione \(numero): le cifre al \(al) non sono state calcolate da questo registro")
        }
        let righe = try righeRendicontate(numero, fonti, vista.righe, al: al)
        guard !righe.isEmpty else { throw Rifiuto(regola: "10.2", "rendicontazione \(numero): nessuna fonte registrata al \(al)") }
        if motivo == nil { try controllaCrescita(numero, destinatario.testo, al, righe) }
        return [.rendicontazioneInviata(numero: numero, destinatario: destinatario.testo, al: al, righe: righe, motivo: motivo?.testo)]
    }

    /// The righe of the fonti named (all registered by `al` when none), ordered by code.
    func righeRendicontate(_ numero: String, _ fonti: [CodiceFonte]?, _ vista: [String: RigaRendicontazione], al: DataContabile) throws(Rifiuto) -> [RigaRendicontazione] {
        guard let fonti else { return vista.keys.sorted().map { vista[$0]! } }
        guard !fonti.isEmpty else { throw Rifiuto(regola: "10.2", "rendicontazione \(numero): --fonti è vuoto") }
        var viste = Set<String>()
        for f in fonti {
            guard viste.insert(f.testo).inserted else { throw Rifiuto(regola: "10.2", "rendicontazione \(numero): la fonte \(f) è ripetuta in --fonti") }
            guard vista[f.testo] != nil else {
                _ = try fonte(f.testo)
                throw Rifiuto(regola: "10.2", "rendicontazione \(numero): la fonte \(f) non è registrata al \(al)")
            }
        }
        return viste.sorted().map { vista[$0]! }
    }

    /// Figures sent only grow, unless explained: against the earlier submission to the same destinatario that
    /// lists the fonte, with `al` up to this one and the highest seq (DOMAIN §10.2).
    func controllaCrescita(_ numero: String, _ destinatario: String, _ al: DataContabile, _ righe: [RigaRendicontazione]) throws(Rifiuto) {
        for r in righe {
            guard let (precedente, prima) = precedente(destinatario, fonte: r.fonte, al: al) else { continue }
            for campo in RigaRendicontazione.crescenti {
                let ora = r.valore(campo)!, allora = prima.valore(campo)!
                if ora < allora {
                    throw Rifiuto(regola: "10.2", "rendicontazione \(numero): \(campo) di \(r.fonte) (\(Rifiuto.eu(ora))) inferiore a quello inviato con \(precedente.numero) (\(Rifiuto.eu(allora))): indica --motivo")
                }
            }
        }
    }

    /// The submission a new one to `destinatario` with cut-off `al` is compared with for `fonte`.
    public func precedente(_ destinatario: String, fonte: String, al: DataContabile, primaDi seq: Int64 = .max) -> (Rendicontazione, RigaRendicontazione)? {
        rendicontazioni.values
            .filter { $0.destinatario == destinatario && $0.al <= al && $0.seq < seq && $0.riga(fonte) != nil }
            .max { $0.seq < $1.seq }
            .map { ($0, $0.riga(fonte)!) }
    }
}

extension Stato {
    /// The figures of a fonte as `fondi prospetto` shows them, over all its linee and esercizi: what a
    /// rendicontazione sends (DOMAIN §10.2) and what a scadenza measures (§10.1). Needs every linea and fonte.
    public func righeProspetto() -> [String: RigaRendicontazione] {
        var somme: [String: Somme] = [:]
        for l in linee.values { somme[l.chiave.fonte, default: Somme()].aggiungi(l, self) }
        var out: [String: RigaRendicontazione] = [:]
        for (codice, f) in fonti {
            let s = somme[codice] ?? Somme()
            out[codice] = RigaRendicontazione(fonte: codice, assegnato: f.assegnato, accertato: f.accertato, riscosso: f.riscosso,
                                              programmato: s.programmato, impegnato: s.impegnato, liquidato: s.liquidato, pagato: s.pagato,
                                              residuiPassivi: s.residuiPassivi, libero: f.libero, fpvSpesa: s.fpvSpesa)
        }
        return out
    }

    mutating func applicaScadenzaFissata(_ numero: String, _ fonte: String, _ tipo: TipoScadenza, _ termine: DataContabile, _ soglia: Int?,
                                         _ base: BaseScadenza?, _ destinatario: String?, _ copertura: DataContabile?, data: DataContabile, atto: String?) {
        controlla(scadenze[numero] == nil, "scadenza \(numero) fissata due volte")
        scadenze[numero] = Scadenza(numero: numero, fonte: fonte, tipo: tipo, termine: termine, soglia: soglia, base: base,
                                    destinatario: destinatario, copertura: copertura, fissataIl: data, atto: atto)
        segna(.scadenza(numero))
    }

    /// A proroga or revoca. In a `--al` view the scadenza may be dated after the view while its proroga is not
    /// (a later correction of dates cannot happen: rules refuse it), so a missing one is skipped there.
    mutating func modificaScadenza(_ numero: String, _ modifica: (inout Scadenza) -> Void) {
        guard scadenze[numero] != nil else { return controlla(tollerante, "scadenza \(numero) sconosciuta") }
        modifica(&scadenze[numero]!)
        segna(.scadenza(numero))
    }

    mutating func applicaRendicontazione(_ numero: String, _ destinatario: String, _ al: DataContabile, _ righe: [RigaRendicontazione],
                                         _ motivo: String?, seq: Int64, data: DataContabile, atto: String?) {
        controlla(rendicontazioni[numero] == nil, "rendicontazione \(numero) inviata due volte")
        rendicontazioni[numero] = Rendicontazione(numero: numero, destinatario: destinatario, al: al, data: data, seq: seq, righe: righe,
                                                  motivo: motivo, atto: atto)
        segna(.rendicontazione(numero))
    }
}
