"""A held-out evaluation set: a second invented corpus and its 48 questions.

The ranking of board search is tuned on `bench.retrieval.corpus` and
`bench.retrieval.questions`; this set is kept apart to check that the tuning carries over to
documents and questions it has never seen. Its subjects differ from the first set: a hospital
pharmacy procedures manual, an IT incident-response runbook, a municipal building-permit guide
and a university research-grants handbook, each once in English and once in Simplified
Chinese, so that each document distracts the others. Two more files, one per language, sit on
neighbouring subjects and answer none of the questions. Every page keeps to one subject.

Questions follow the rules of the first set: 12 for each of English/Chinese ×
keyword/paraphrase, each answered by exactly one page (1-based) of this corpus.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.retrieval.corpus import Document, _en, _zh
from bench.retrieval.questions import Kind, Lang, Question

PHARMACY_EN = Document(
    "st_aldric_hospital_pharmacy_procedures.pdf",
    [
        _en("""
Procedure 1. Receiving Medicine Deliveries. All deliveries from wholesalers arrive at the
pharmacy goods-in bay between 7:30 and 11:00 on weekdays. A pharmacy technician checks every
tote against the delivery note and the purchase order, confirming the product name,
strength, pack size, quantity, batch number and expiry date. Items with less than three
months of shelf life remaining are refused unless the buyer has approved them in advance for
immediate use. Damaged, leaking or wrongly labelled packs are placed on the red quarantine
shelf, and the supplier is contacted the same day for a credit note. Refrigerated lines are
unpacked first, within 15 minutes of arrival, and the transit temperature logger in the cool
box is checked before the packs are put away. Accepted stock is booked into the stock
control system and shelved first expiry, first out, so that the packs with the shortest
dating are picked first. Unlicensed medicines and clinical trial supplies are received only
by the pharmacist named as responsible for them and are never mixed with general stock.
"""),
        _en("""
Procedure 2. Refrigerated Storage and the Cold Chain. Vaccines, insulins, biological
medicines and many eye drops must be kept between 2 and 8 degrees Celsius from receipt until
they are given to the patient. Pharmacy and ward medicine refrigerators are pharmaceutical
grade, lockable and used for nothing else: food, drink and specimens are never stored in
them. Each refrigerator has a calibrated minimum and maximum thermometer that is read,
recorded and reset twice a day, at the start of the morning shift and again in the late
afternoon. Any reading outside the range is a temperature excursion. Staff must neither
discard the affected stock nor use it; instead they move it to a working refrigerator, label
it as quarantined, and phone the medicines information line. A pharmacist then decides, from
the manufacturer's stability data and the length of the excursion, whether the stock may be
returned to use. Refrigerators are defrosted and cleaned every three months and are never
filled more than about two thirds full, so that cold air can circulate around the packs.
"""),
        _en("""
Procedure 3. Controlled Drugs. Schedule 2 controlled drugs, such as morphine, oxycodone,
fentanyl patches and methadone, are stored in a locked steel cabinet fixed to the wall
inside the locked dispensary. The key is held by the pharmacist in charge and is never left
in a drawer or handed to a porter. Every receipt, issue, return and destruction is entered
in the controlled drugs register, a bound book with a separate page for each drug, form and
strength. Entries are made in ink at the time of the transaction, and each entry requires
two signatures: that of the person making it and that of a second registered member of staff
who witnesses the count. Mistakes are never crossed out or overwritten; they are bracketed
and explained in a dated footnote. The running balance is compared with the physical stock
every week, and again whenever the balance is carried forward to a new page. Any discrepancy
that cannot be resolved the same day is reported to the chief pharmacist within 24 hours
and, where required, to the accountable officer for controlled drugs.
"""),
        _en("""
Procedure 4. Clinical Screening and Dispensing. Before any prescription is dispensed, a
pharmacist screens it: the patient's allergies and weight, the dose and frequency,
interactions with current medicines, kidney and liver function where relevant, and the
intended duration of treatment. Queries are raised with the prescriber directly by phone or
bleep, and the outcome is documented on the electronic prescribing record. Items are then
picked by a technician using barcode scanning, which blocks the label if the wrong product
or strength is scanned. Every dispensed item receives a final accuracy check by a second
person who was not involved in picking it. High-risk medicines, including anticoagulants,
insulin, oral methotrexate and liquids for children, are also checked against the original
prescription by a pharmacist, even when an accredited checking technician has completed the
accuracy check. Discharge prescriptions are prioritised so that beds are not blocked: the
target is two hours from receipt in the pharmacy to the medicines being ready on the ward,
and one hour when patient transport has already been booked.
"""),
        _en("""
Procedure 5. Aseptic Preparation of Injectable Medicines. Chemotherapy, parenteral nutrition
and other injectable medicines that must be made up from concentrates are prepared in the
aseptic unit, never on the wards. Cytotoxic products are compounded in negative pressure
isolators; other products in positive pressure isolators or in a grade A laminar airflow
cabinet inside a grade B cleanroom. Operators change into sterile gowns, hoods, overshoes
and two pairs of gloves before entering, and no jewellery, make-up or mobile phones are
allowed. Each worksheet is checked by a pharmacist before preparation begins, and the
finished product is released only after a second check of the starting materials and the
volumes used. Unless the stability data for a specific product says otherwise, a compounded
infusion bag is given an expiry of 24 hours from the time of preparation and is stored in a
refrigerator until it leaves the unit. Settle plates and finger dabs are taken at every
session to monitor microbial contamination, and a cytotoxic spill kit is kept at the
entrance of the unit.
"""),
        _en("""
Procedure 6. Medication Errors and Near Misses. A medication error is any preventable event
that may lead to a patient receiving the wrong medicine, dose, route or timing, whether or
not harm results. A near miss is an error caught before it reached the patient. Both must be
reported through the hospital incident reporting system before the end of the shift in which
they were discovered, by the member of staff who found them. If a patient has received a
wrong medicine, the first priority is the patient: inform the responsible doctor straight
away, monitor for adverse effects, and record what was done in the clinical notes. The
medication safety officer reviews all reports weekly and grades each one from no harm to
severe harm. Errors graded as moderate harm or worse trigger a formal investigation, and the
patient or family is told what happened, with an apology, as soon as reasonably possible.
Reports are used for learning, not blame: staff who report in good faith are supported, and
recurring themes are discussed at the monthly medication safety meeting.
"""),
        _en("""
Procedure 7. Expired Stock, Returns and Pharmaceutical Waste. Every month, technicians check
pharmacy and ward stock and remove anything that will expire before the next check. Expired
or unwanted medicines are never returned to stock, poured down the sink or thrown into
general waste. Non-hazardous medicines go into blue-lidded pharmaceutical waste bins;
cytotoxic and cytostatic medicines, and anything contaminated with them such as empty vials,
syringes and gloves, go into purple-lidded bins; needles and other sharps go into yellow
sharps containers. Bins are sealed when three quarters full, labelled with the ward or
department, and collected by the licensed waste contractor, whose consignment notes the
pharmacy files. Out-of-date controlled drugs stay segregated and labelled in the cabinet
until they are destroyed with a denaturing kit in the presence of an authorised witness
appointed by the accountable officer. Medicines that patients bring into hospital remain
their property; they are handed back at discharge unless the patient agrees to their
destruction.
"""),
        _en("""
Procedure 8. Out-of-Hours Pharmacy Service. The dispensary is staffed from 8:00 to 20:00 on
weekdays and from 9:00 to 17:00 at weekends and on public holidays. Outside these hours an
on-call pharmacist provides advice and urgent supply. Ward staff contact the on-call
pharmacist through the switchboard, never on a personal mobile number. The on-call
pharmacist must return the call within 15 minutes and, when a medicine is needed that cannot
be obtained any other way, must be able to reach the hospital within 45 minutes. Before
calling, staff should check the emergency drug cupboard in the emergency department and the
stock held by neighbouring wards, which together cover the medicines most often needed after
hours. Anything taken from the emergency cupboard is recorded in the night issues book with
the patient's name, the drug, the quantity and the signature of the nurse in charge. Calls
received and actions taken are logged by the on-call pharmacist, and the chief pharmacist
reviews the log every Monday morning.
"""),
    ],
    chinese=False,
)

INCIDENT_EN = Document(
    "platform_incident_response_runbook.pdf",
    [
        _en("""
1. Incident Severity Levels. Every incident is given a severity as soon as it is declared,
and the severity may be raised or lowered as more is learned. SEV1 is a complete outage of a
customer-facing service, loss or corruption of customer data, or a confirmed security
breach. SEV2 is a major degradation: a core feature unavailable to a large share of
customers, or error rates above 5 percent for more than ten minutes. SEV3 is a partial
degradation with a workaround, such as slow report generation or a failed batch job that can
be rerun. SEV4 covers minor problems with no customer impact, for example a single failed
node in a redundant cluster. When in doubt, choose the higher severity: downgrading later
costs little, while a late escalation costs time. Only SEV1 and SEV2 incidents get a
dedicated incident channel and an incident commander. SEV3 and SEV4 are handled as tickets
by the owning team during business hours and are reviewed at the weekly operations meeting.
"""),
        _en("""
2. Alerting, Paging and On-Call. Monitoring alerts that indicate customer impact page the
primary on-call engineer of the owning team through the paging service. Each team runs a
weekly rota with the handover at 10:00 every Monday, and every shift has a primary and a
secondary engineer. For a SEV1 page the primary must acknowledge within 5 minutes, and for a
SEV2 page within 15 minutes. A page that is not acknowledged in time escalates automatically
to the secondary, and ten minutes later to the engineering manager. The on-call engineer
must be able to reach a laptop with network access within the acknowledgement window, so
nobody on call travels without connectivity, and shift swaps are entered in the paging tool
before they take effect. Alerts that page but need no action are treated as defects: they
are raised at the weekly on-call review and either tuned or deleted. Staff on call receive a
flat weekly allowance, plus time off in lieu for any hours worked between midnight and
07:00.
"""),
        _en("""
3. Incident Roles. Every SEV1 and SEV2 incident has an incident commander, a communications
lead and a scribe, and the three are named in the incident channel within the first ten
minutes. The incident commander owns the response: sets priorities, assigns investigation
tasks, decides on mitigations such as failover or rollback, and declares the incident
resolved. The commander deliberately does not investigate or type commands, even when they
are the most experienced engineer available, because working on a fix takes their attention
away from coordinating everyone else. The communications lead writes all updates for
customers and internal stakeholders, so that engineers are not interrupted with questions.
The scribe keeps a timestamped log of observations, decisions and actions in the incident
document, which later becomes the basis of the timeline. When an incident lasts longer than
four hours, the commander hands over to a rested colleague with a written summary of the
current state, and nobody holds an incident role for more than eight hours in a row.
"""),
        _en("""
4. Communication During an Incident. For a SEV1 incident, the communications lead publishes
a first notice on the public status page within 30 minutes of the incident being declared,
even if the cause is still unknown. The status page is then updated at least every 60
minutes until resolution, and each update says what is affected, what is being done and when
the next update will come. A SEV2 incident gets a status page notice once more than one
customer has reported the problem. Customer support receives the wording before it is
published, so that agents answer tickets and calls consistently. Internally, a summary is
posted in the incident channel every 30 minutes, and the chief technology officer is
informed by phone of any SEV1 within one hour. Updates avoid guessing at the cause and never
name individual engineers or suppliers. When service is restored, a resolution notice goes
on the status page, and affected enterprise customers receive a written summary of a SEV1
incident within three working days.
"""),
        _en("""
5. Security Incidents and Personal Data Breaches. Suspected intrusions, malware, leaked
credentials and unauthorised access to customer data are reported at once to the security
on-call engineer, who decides whether to declare a security incident. Affected hosts are
isolated from the network but not powered off or rebuilt, because memory contents and disks
are needed as evidence; the security team takes disk images and copies of the relevant logs
before any clean-up. Credentials that may have been exposed, including API keys and service
account passwords, are rotated immediately. If personal data may have been accessed, copied,
altered or lost, the data protection officer must be told on the same day. The data
protection officer decides whether the breach must be notified to the supervisory authority;
where it must, the notification is made within 72 hours of the company becoming aware of the
breach, and the individuals concerned are informed without undue delay if the risk to them
is high. Details of security incidents are shared only with those who need them, and the
incident channel is private.
"""),
        _en("""
6. Database Failover and Restore. The primary customer database runs as a cluster of one
writer and two replicas in different availability zones. If the writer fails and automatic
failover has not completed within five minutes, the database on-call engineer promotes the
most up-to-date replica by hand with the failover script, after confirming that the old
writer is fenced and can no longer accept writes. The recovery point objective is 15 minutes
of data, and the recovery time objective is one hour. Full backups are taken nightly at
02:00 UTC, transaction logs are shipped every five minutes, and backups are kept for 35 days
in a separate account in another region, encrypted with a key that the production account
cannot delete. A restore into an isolated environment is tested every quarter and the
measured restore time is recorded; if it exceeds the recovery time objective, the gap is
tracked as a SEV3 defect. Never restore over the production database without the explicit
approval of the incident commander.
"""),
        _en("""
7. Rollback, Feature Flags and Change Freezes. When an incident starts within two hours of a
deployment to the affected service, rolling back is the default first mitigation, before any
debugging. Every service must be able to roll back to its previous release through the
deployment pipeline in under ten minutes, so database migrations are written to stay
backward compatible for at least one release. New features are released behind feature
flags, which can be switched off without a deployment. While a SEV1 or SEV2 incident is
open, all production changes not related to the incident are frozen across the company, and
the freeze is announced in the engineering channel. Planned freezes also apply from the last
week of November to the first week of January, when traffic peaks; an emergency change
during a planned freeze needs the approval of two engineering directors. Once the incident
is resolved, the commander lifts the freeze explicitly rather than letting it lapse, and
changes that were held back are deployed one at a time.
"""),
        _en("""
8. Post-Incident Review. Every SEV1 and SEV2 incident is followed by a blameless
post-incident review meeting, held within five working days of resolution. The incident
commander schedules it and invites the responders, the owners of the affected services and a
facilitator who took no part in the response. The written review contains a timeline built
from the scribe's log, the customer impact in numbers, the contributing causes, what went
well, and a list of follow-up actions, each with a single owner and a due date. The review
asks how the system and the process allowed the failure, not who made a mistake, and
individual names are left out of the causes section. Follow-up actions are tracked in the
engineering backlog under a dedicated label; high-priority actions are due within 30 days,
and overdue actions are reported monthly to engineering leadership. Finished reviews are
published on the internal wiki so that other teams can learn from them, and a quarterly
summary looks for causes that recur across incidents.
"""),
    ],
    chinese=False,
)

PERMIT_EN = Document(
    "ashford_building_permit_guide.pdf",
    [
        _en("""
When Do You Need a Building Permit? A building permit from the City of Ashford is required
before you construct, enlarge, alter, structurally repair, move or demolish a building.
Typical projects that need one include new houses, additions and garages, decks more than 60
cm above the ground, basement apartments, wood-burning stoves and fireplaces, and any change
to load-bearing walls, beams or columns. A permit is also needed when you change the use of
a building, for example turning a shop into a restaurant, even if no construction is
involved. You do not need a permit for painting, new flooring, kitchen cabinets, replacing
windows of the same size, fences under 2 metres high, or a single-storey accessory building
such as a shed with a floor area of 10 square metres or less and no plumbing. Exempt
projects must still meet the zoning rules, so check where they may stand on your lot before
you build. If you are unsure whether your project needs a permit, call the permit desk; a
free pre-application meeting can be booked for any project.
"""),
        _en("""
Preparing Your Application. Applications are submitted through the City's online permit
portal; paper applications are accepted only at the permit desk by appointment. Every
application needs a completed form signed by the owner or an authorised agent, proof of
ownership or a letter of authorisation, a site plan drawn to a scale of 1:200 or larger
showing property lines, existing and proposed buildings and the distances between them,
floor plans and elevations, and a construction cross-section. Structural drawings for beams,
foundations and retaining walls higher than 1 metre must be sealed by a professional
engineer. Energy efficiency calculations are required for new houses and for additions over
40 square metres. Drawings must be legible, dimensioned in metric units and uploaded as PDF
files of no more than 50 MB each. An intake officer checks the submission for completeness
within three business days. Incomplete applications are not placed in the review queue: the
applicant receives a list of missing items, and review begins only when all of them have
arrived.
"""),
        _en("""
Permit Fees. The building permit fee is calculated on the declared construction value of the
project, at 12 dollars for every 1,000 dollars of value, with a minimum fee of 150 dollars.
The City may compare the declared value with standard construction cost tables and charge on
the higher figure. Demolition permits have a flat fee of 200 dollars, and a change of use
without construction costs 250 dollars. A plan review deposit of 25 percent of the estimated
fee is paid with the application and credited towards the final fee. Fees can be paid online
by card or at the permit desk, and the permit is not issued until the full fee has been
paid. If an application is withdrawn before plan review starts, 75 percent of the fees paid
are refunded; once review has begun, no refund is given. Work started before a permit is
issued is charged at double the normal fee, in addition to any penalty under the building
bylaw. Development charges and water connection fees are billed separately by the
engineering department.
"""),
        _en("""
Plan Review and Processing Times. Once an application is complete, plans examiners review it
against the building code and the zoning bylaw. Our service standard is a first decision
within 10 business days for houses, additions, decks and garages, and within 20 business
days for commercial, industrial and multi-unit residential buildings. Complex projects
involving fire separations, sprinkler design or heritage properties may take longer, and the
examiner will tell you the expected date. If the plans do not comply, you receive a single
consolidated list of corrections; the clock stops until revised drawings are uploaded, and
resubmissions are reviewed within 5 business days. Owners of small residential projects can
choose expedited review for an extra 50 percent of the fee, which halves the service
standard. You can follow the status of your application at any time in the online portal.
The permit is issued electronically: the applicant receives an email with the permit and the
stamped approved drawings, a printed copy of which must be kept on site.
"""),
        _en("""
Zoning and Setbacks in Residential Areas. In the R1 and R2 residential zones, a house must
be set back at least 6 metres from the front lot line, 1.2 metres from each side lot line
and 7.5 metres from the rear lot line; on corner lots the exterior side yard is 3 metres.
The maximum building height is 10.5 metres, measured to the midpoint of the roof, and
buildings may cover no more than 40 percent of the lot. Accessory buildings such as garages
and sheds may stand in the rear yard as close as 0.6 metres to the side and rear lot lines,
provided their height does not exceed 4.5 metres. Eaves, gutters and chimneys may project up
to 0.6 metres into a required yard. If your design cannot meet these numbers, you may apply
to the Committee of Adjustment for a minor variance; hearings are held monthly, and
neighbours within 60 metres are notified by mail. A building permit cannot be issued until
any required variance has been granted and the appeal period has passed.
"""),
        _en("""
Inspections During Construction. Your permit lists the inspections required for your
project. For most houses and additions these are: footings before the concrete is poured,
foundation walls and damp-proofing before backfilling, framing, plumbing and heating
rough-in, insulation and vapour barrier before drywall, and a final inspection before
occupancy. Inspections must be booked at least 48 hours in advance through the online portal
or the inspection request line, quoting the permit number. Inspectors visit within a morning
window of 8:00 to 12:00 or an afternoon window of 12:00 to 16:00, and the builder or owner
must be present to give access. Any work covered up before it has been inspected must be
opened again at the owner's expense. If an inspection fails, the inspector leaves a written
list of deficiencies, and a re-inspection fee of 100 dollars is charged from the second
failed visit onward. A successful final inspection results in an occupancy certificate, and
a new house must not be lived in until that certificate has been issued.
"""),
        _en("""
Permit Validity, Extensions and Changes. A building permit expires if construction has not
started within 12 months of the date of issue, or if work is suspended for a continuous
period of more than 6 months. The owner may ask in writing, before the expiry date, for one
extension of up to 12 months, explaining the reason for the delay. No extension is available
once a permit has lapsed; the work then needs a new application and new fees. The permit
card must be posted in a window or on a board where it can be read from the street for the
whole duration of the work. Changes to the approved drawings, such as moving a wall,
enlarging a window opening or changing the roof structure, must be submitted as a revision
and approved before the changed work is built. A sale of the property during construction
must be reported so that the permit can be reissued in the new owner's name. When all
required inspections have passed, the permit is closed and the file is archived.
"""),
        _en("""
Demolition and Construction Site Conduct. Before a demolition permit is issued, the
applicant must provide letters from the gas, electricity and water utilities confirming that
services have been disconnected and, for any building constructed before 1990, a designated
substances survey identifying asbestos and lead. Sites next to a public sidewalk must be
enclosed by a solid hoarding at least 1.8 metres high, and any use of the sidewalk or road
for skips, cranes or material storage needs a separate road occupancy permit from the
engineering department. Under the City's noise bylaw, construction equipment may be operated
only from 7:00 to 19:00 Monday to Friday and from 9:00 to 18:00 on Saturdays; no noisy work
is permitted on Sundays or statutory holidays. Mud and debris tracked onto the road must be
cleaned up the same day. Complaints about construction sites can be made through the City's
service line at any hour, and bylaw officers may issue a stop work order where a site poses
an immediate danger to the public.
"""),
    ],
    chinese=False,
)

GRANTS_EN = Document(
    "halden_university_research_grants_handbook.pdf",
    [
        _en("""
Chapter 1. Planning a Proposal and Internal Deadlines. Researchers planning an application
to any external funder should register their intention with the Research Office as early as
possible, ideally six weeks before the funder's closing date, using the online intent form.
Registration lets the Office assign a grants officer, check the conditions of the call and
flag any need for matched funding or partner agreements. The complete proposal, including
the final budget and all attachments, must reach the Research Office at least 10 working
days before the funder's deadline. This period is used for the compliance review and for
institutional sign-off by the head of school and the authorised signatory. Proposals
received later than this may be refused institutional approval, and the Office cannot
guarantee that late proposals will be submitted. Applicants remain responsible for the
scientific content; the Research Office checks eligibility, costing, formatting and the
obligations of the institution, and it is the only unit that may submit on the university's
behalf.
"""),
        _en("""
Chapter 2. Costing and Indirect Costs. All budgets are prepared with the grants officer in
the university costing tool, which applies current salary scales, an annual salary increase
of 3 percent for multi-year projects and the correct employer contributions. The university
recovers indirect costs, also called overheads, at a rate of 52 percent of modified total
direct costs. The modified base excludes equipment items costing 5,000 dollars or more each,
student tuition fees, patient care costs and the part of each subcontract above 25,000
dollars. Where a funder caps indirect costs at a lower rate, the funder's published rate is
used and the shortfall is absorbed centrally; researchers may not reduce the rate on their
own initiative to make a budget look more competitive. Direct costs must be justified line
by line in the budget narrative. Salary for the principal investigator may be requested only
where the funder allows it, and the time commitment must be stated as a percentage of full
time.
"""),
        _en("""
Chapter 3. Who May Lead a Grant. A principal investigator must hold an academic or research
appointment at the university that runs at least until the planned end date of the project.
Continuing academic staff are eligible for all schemes. Research fellows on fixed-term
contracts may lead an application if their head of school confirms in writing that the
contract will be extended to cover the project. Adjunct and honorary appointees, and
emeritus professors, may take part only as co-investigators. Doctoral researchers and other
enrolled students cannot be the principal investigator of an external grant, although they
may be named as participants, and some funders run separate fellowship schemes to which they
can apply in their own name. Each person may lead no more than two applications in the same
funding round. If a principal investigator leaves the university, the Research Office
discusses with the funder whether the grant can be transferred or a new lead appointed.
"""),
        _en("""
Chapter 4. Ethics and Other Approvals. Research involving human participants, their data or
their tissue must be approved by the Human Research Ethics Committee before any recruitment
or data collection begins. The committee meets on the first Tuesday of every month, and
complete applications must be lodged three weeks before a meeting to be considered there.
Low-risk projects, such as anonymous surveys of adults on topics that are not sensitive, may
be approved by the chair without going to a full meeting. Research on animals requires
separate approval from the Animal Ethics Committee, and work with genetically modified
organisms or ionising radiation needs a biosafety or radiation safety permit. The Research
Office will accept a grant award before ethics approval is in place, but it will not release
funds for the affected parts of the project until the approval number has been recorded in
the grants system. Approvals are valid for the period stated, normally up to five years, and
changes to the protocol need an approved amendment before they take effect.
"""),
        _en("""
Chapter 5. What Grant Funds Can Pay For. Grant funds may be used only for costs that are
necessary for the project, reasonable in amount and incurred within the grant period.
Typical allowable costs are the salaries of research staff, stipends where the funder
permits them, laboratory consumables, payments to participants, software licences specific
to the project, publication charges, and travel for fieldwork or to present results. Costs
that are never charged to a grant include alcohol, entertainment and gifts, fines and
penalties, membership of social clubs, routine office furniture and general-purpose
computers used for administration. Hospitality at a project workshop is limited to modest
meals for the participants and cannot include drinks other than water, juice, tea and
coffee. Costs incurred before the start date may be charged only if the funder has agreed to
them in writing. Any cost that the funder does not allow but the project still needs must be
met from a departmental account, with the agreement of the head of school.
"""),
        _en("""
Chapter 6. Buying Equipment and Services. Purchases on grants follow the university
procurement policy. Items up to 10,000 dollars may be bought with a university purchasing
card or a purchase order from any supplier offering reasonable value. Purchases between
10,000 and 100,000 dollars require three written quotations, and the reason for choosing the
supplier must be recorded if it is not the cheapest. Purchases above 100,000 dollars go to a
formal tender run by the procurement team, which usually takes eight to twelve weeks, so
large equipment should be ordered early in the grant. Splitting an order to stay under a
threshold is not permitted. Equipment costing 5,000 dollars or more is entered in the asset
register, labelled with an asset tag, and remains the property of the university unless the
award conditions say otherwise. Auditors look closely at equipment bought in the last three
months of a grant, so such purchases must be justified as necessary for completing the
project.
"""),
        _en("""
Chapter 7. Reporting, Extensions and Closing a Grant. Funders usually require annual
progress reports and financial statements; the Research Office prepares each financial
statement from the ledger and sends it to the principal investigator for confirmation 30
days before it is due. The final scientific and financial reports are due within 90 days of
the grant end date, and no new commitments may be made against the grant after the end date.
If the work cannot be finished on time, a no-cost extension may be requested through the
Research Office at least three months before the end date; most funders allow one extension
of up to 12 months and will not add money. Unspent funds at the close of a grant are
returned to the funder unless the conditions allow the university to keep them. Overspending
is charged to the school's discretionary account, so investigators should read the monthly
grant statement and have mistakes in the ledger corrected promptly.
"""),
        _en("""
Chapter 8. Research Data and Records. Every funded project needs a data management plan,
written at the proposal stage and updated within three months of the start. Research data
are stored on university-managed storage, which is backed up and access-controlled; personal
cloud accounts and unencrypted portable drives may not be used for identifiable data.
Original data and the records needed to justify published results must be kept for at least
seven years after the date of publication, or fifteen years for clinical trials; for
research involving children, the period is counted from the date the youngest participant
turns eighteen. Financial records of a grant, such as invoices and timesheets, are kept for
seven years after the final report. When data are deposited in an open repository, a
persistent identifier is obtained and cited in publications. Before destroying any data at
the end of the retention period, the principal investigator records the decision and the
method used.
"""),
    ],
    chinese=False,
)

COUNTY_BULLETIN_EN = Document(
    "ashford_county_services_bulletin.pdf",
    [
        _en("""
A New Wing for Ashford General. The new east wing of Ashford General Hospital opened in
April with 96 inpatient beds, a day surgery unit and a larger pharmacy. The pharmacy now
uses a dispensing robot that stores packs in its own enclosure and sends them to the counter
on a conveyor, which has freed technicians from much of the walking between shelves. Ward
stock is topped up from automated cabinets that open with a fingerprint, and nurses say they
spend far less time searching for medicines. The oncology day unit has also moved into the
new wing, bringing the chemotherapy chairs closer to the aseptic suite. A panel of former
patients helped choose the colours and signs, and volunteers now guide visitors from the
main entrance. The hospital thanks its neighbours for their patience during three years of
construction and the temporary closure of the east car park, which will reopen with 120
additional spaces in the autumn.
"""),
        _en("""
Keeping County Systems Running. On the morning of 14 March the county's online services,
including the library catalogue and the payments portal, were unavailable for almost three
hours after a core network switch failed in the main data centre. Staff restored service by
moving traffic to a spare switch, and no data was lost. The IT department has since
installed a second core switch so that a single failure can no longer take the network down,
and has added monitoring that warns engineers before a device stops responding. Residents
who could not pay parking charges that morning were not penalised. Over the next two years
the department will move older systems to a cloud platform. Staff from every department have
been trained to recognise phishing emails, simulated phishing tests now run every quarter,
and the share of staff who click a suspicious link has dropped from one in five to one in
twenty.
"""),
        _en("""
A Record Year for Building. The planning and building department issued 1,840 building
permits last year, the highest number in the county's history, with new houses and home
additions making up more than half. The construction value of the permitted work reached 410
million dollars. Since applications moved online, most applicants no longer need to visit
the permit office at all, and plans examiners can comment directly on uploaded drawings. The
department hired four new inspectors and gave every inspector a tablet, so that inspection
results reach applicants on the same day. A pilot of video inspections for small projects
such as decks and basement finishes will run through the summer. The county also adopted a
tree protection bylaw that requires a survey of large trees before site works begin on lots
of more than 1,000 square metres, and the heritage committee added nineteen buildings in the
old town to its register.
"""),
        _en("""
Research Partnership Fund. The county and Halden University jointly awarded 1.2 million
dollars in the second round of the Research Partnership Fund, which supports projects that
address local problems. Eleven teams were funded, including studies of flood risk along the
river, of loneliness among older residents and of recycled aggregate in road repairs. Every
team includes at least one county department as a partner, and the results will be presented
at a public symposium in the autumn. The third round opens for applications in the new year,
and it will also accept projects led by community organisations working with a university
researcher. University students will again be offered paid summer placements in county
departments, and forty placements are planned. The county's open data portal has added
datasets on road maintenance, building permits and library use, which researchers may
download freely.
"""),
    ],
    chinese=False,
)

PHARMACY_ZH = Document(
    "医院药房管理规程.pdf",
    [
        _zh("""
第一章 药品验收入库。药品到货后，由库管药师和采购员共同验收，核对随货同行单、
发票与采购计划是否一致，逐一检查药品名称、规格、数量、生产企业、
批号和有效期。外包装破损、标签不清或者批号与单据不符的药品一律拒收，
并在24小时内通知供货企业。剩余有效期不足6个月的药品原则上不予验收入库；
确因临床急需的，须经药剂科主任签字同意，并限量采购。冷链药品应当优先验收，
同时查看运输途中的温度记录，记录不完整的不得接收。验收合格的药品由验收人在验收
记录上签名，再录入药品管理信息系统，按照「先进先出、近效期先出」
的原则上架摆放。
"""),
        _zh("""
第二章 药品储存与养护。药库按照温度要求分为常温库、阴凉库和冷库：
常温库温度为10至30摄氏度，阴凉库温度不超过20摄氏度，冷库温度为2至8摄氏度，
各库房相对湿度保持在35%至75%之间。养护人员每天上午九点和下午三点各记录一次温湿
度，超出范围时应立即采取通风、降温或者除湿措施，并在记录上注明。
药品应当离地、离墙存放，与屋顶、散热器之间保持适当距离。内服药与外用药分区存放，
名称或者外观相似的药品不得相邻摆放。距失效期不足3个月的药品应挂黄色近效期标识，
每月汇总一次，提醒临床优先使用。
"""),
        _zh("""
第三章 麻醉药品和第一类精神药品管理。麻醉药品和第一类精神药品实行专人负责、
专柜加锁、专用账册、专用处方、专册登记的管理办法。药房设保险柜存放此类药品，
每班交接时当面清点数量并签字。病区使用麻醉药品注射剂后，须将用后的空安瓿收回，
连同专用处方一并交回药房；空安瓿的数量和批号应与处方一致，方可补充病区基数。
使用过的芬太尼透皮贴剂也按同样要求回收。麻醉药品处方保存3年备查，
专用账册保存至药品有效期满后不少于2年。发现此类药品丢失或者被盗，
应立即报告医务科、保卫科和所在地卫生行政部门。
"""),
        _zh("""
第四章 处方审核与调配。药师收到处方后，应当先审核处方的合法性、规范性和用药适宜
性，重点查看药物过敏史、剂量、用法、配伍禁忌和重复用药。审核不合格的处方，
应当与开方医师沟通，由医师修改并重新签名，药师不得擅自更改。调配时严格执行「四
查十对」，逐项核对科别、姓名、年龄、药名、剂型、规格、数量、药品性状、
用法用量和临床诊断。普通处方一般不得超过7日用量，急诊处方一般不得超过3日用量；
慢性病或者老年病患者的用量可以适当延长，但医师应当注明理由。处方开具当日有效，
特殊情况需延长的，最长不超过3天。发药时应当向患者交代用法和注意事项。
"""),
        _zh("""
第五章 静脉用药集中调配。全院住院患者的静脉输液由静脉用药调配中心集中调配。
调配操作在万级洁净环境下的百级层流台内进行，肿瘤化疗药物必须在生物安全柜内调配，
并由经过专门培训的人员操作。人员进入洁净区前，应当按规定程序更衣、
洗手，戴口罩和双层手套。药师审核医嘱后打印输液标签，调配人员按标签备药、
混合，完成后由另一名药师核对空瓶和成品。成品输液应当在调配完成后2小时内由专人用
密闭转运箱送达病区，由病区护士签收。当天未用完的成品输液不得退回再用。
每月对洁净区进行一次沉降菌检测，结果存档。
"""),
        _zh("""
第六章 用药差错与药品不良反应报告。发生调配或者发药差错时，当事药师应当立即采取
补救措施，追回错发的药品，并报告药房组长和科主任；可能对患者造成伤害的，
须同时通知主管医师，密切观察患者情况。差错须在当班内登记到差错登记本，
科室每月分析一次原因并提出改进措施。临床发现可疑药品不良反应，应当填写不良反应
报告表，经临床药师审核后通过国家监测系统上报：新的和严重的不良反应应当在15日内
报告，死亡病例须立即报告，其他不良反应在30日内报告。医院鼓励主动报告，
对主动报告差错的人员不予处罚。
"""),
        _zh("""
第七章 过期药品与医疗废物处理。药房每月底对所有药品进行一次效期清查，
过期、变质和被污染的药品应当立即下架，放入不合格药品区，挂红色标识，
任何人不得再发放使用。不合格药品由药剂科登记造册，经分管院长批准后，
交有资质的单位集中销毁，销毁时须有两人以上在场监督，并做好记录。
调配过程中产生的空瓶、输液袋等按医疗废物分类收集：一般药物性废物放入黄色包装袋，
针头等损伤性废物放入利器盒，化疗药物废弃物应当双层密封并贴细胞毒性标识。
医疗废物交接时填写转移联单，在药房暂存的时间不得超过48小时。
"""),
    ],
    chinese=True,
)

INCIDENT_ZH = Document(
    "信息系统故障应急预案.pdf",
    [
        _zh("""
第一章 总则与事件分级。本预案适用于本单位核心业务系统、办公网络和数据中心机房等
信息系统发生故障或者安全事件时的应急处置。按照影响范围和持续时间，
信息系统突发事件分为四级：核心业务系统全部中断超过2小时，或者发生大规模数据泄露
的，为一级事件；核心业务系统部分中断超过1小时，或者重要数据可能泄露的，
为二级事件；非核心系统中断超过4小时的，为三级事件；其他影响较小的故障为四级事件。
事件等级由技术组初步判定，报应急领导小组确认，处置过程中可以根据事态发展调整等
级。处置工作坚持「先恢复、后排查」和「谁主管谁负责」的原则。
"""),
        _zh("""
第二章 值班与报告。信息中心实行全天候值班制度，每班设值班工程师和值班负责人各一
名，每天早上八点半交接班，交接时须当面说明尚未处理完毕的告警和故障。
监控平台发出告警后，值班工程师应当在5分钟内响应并开始排查，10分钟内无法判明原因
的，报告值班负责人。确认发生一级或者二级事件的，值班负责人应当在15分钟内电话报
告应急领导小组组长，1小时内提交书面报告，说明故障现象、影响范围、
已采取的措施和预计恢复时间；三级和四级事件在当天的工作日志中记录即可。
任何人不得迟报、漏报、瞒报。
"""),
        _zh("""
第三章 网络中断处置。核心交换机采用双机热备方式运行，互联网出口和各分支机构之间
的专线分别接入两家运营商。主链路中断时，路由设备应当自动切换到备用链路，
切换时间不超过30秒；自动切换失败的，值班工程师应当在5分钟内手工切换。
网络中断期间，应当先检查光模块、跳线和设备电源，排除本地原因后再向运营商报修，
并要求运营商在4小时内到场。发生大面积断网时，前台业务部门启用纸质单据等手工流程
维持工作，网络恢复后由专人补录数据。更改网络设备配置前须提交变更申请，
并安排在业务低峰时段实施。
"""),
        _zh("""
第四章 数据备份与恢复。核心业务数据库每天凌晨两点进行一次全量备份，
每小时进行一次增量备份，数据库日志实时同步到同城灾备中心。备份数据在本地保留30
天，每月最后一天的全量备份送异地保存一年。备份介质应当加密存放，
由专人管理，调取备份须经信息中心主任批准。数据库发生故障时，应当首先判断能否切
换到备用库；确需从备份恢复的，由两名数据库管理员共同操作，恢复前须对现有数据做
完整快照，防止误操作扩大损失。信息中心每季度组织一次恢复演练，记录实际恢复用时；
核心系统的恢复时间目标为2小时，数据丢失不超过15分钟。
"""),
        _zh("""
第五章 网络安全事件处置。发现计算机感染勒索病毒、网页被篡改、账号被盗用或者数据
被非法下载等情况时，使用人员应当立即拔掉网线、断开无线网络，但不得关机或者重启，
以免丢失内存中的证据，并马上报告值班工程师。安全管理员到场后，对受影响的主机进
行隔离，保存系统日志和磁盘镜像，排查病毒的传播范围，对可能泄露的口令立即修改。
遭遇勒索时，任何部门和个人不得擅自与攻击者联系，不得支付赎金。涉及违法犯罪的，
应当在24小时内向公安机关网安部门报告；涉及个人信息泄露的，应当按规定告知相关当
事人。
"""),
        _zh("""
第六章 机房环境与电力保障。数据中心机房温度应当控制在18至27摄氏度，
相对湿度控制在40%至60%，精密空调按照「三用一备」配置。环境监控系统对温湿度、
漏水、烟雾和供电状态进行实时监测，任一指标超限时自动向值班人员发送短信。
机房由两路市电供电，配置不间断电源，满载时后备时间不少于30分钟；
市电全部中断时，柴油发电机应当在1分钟内自动启动，储油量应当满足连续运行8小时。
机房采用气体灭火系统，灭火剂释放前有30秒延时，听到警报后人员必须立即撤离。
外来人员进入机房须登记，并由本单位人员全程陪同。
"""),
        _zh("""
第七章 事后总结与应急演练。事件处置完毕后，由技术组组织相关人员进行复盘，
按照时间顺序梳理故障发现、报告、处置和恢复的全过程，分析直接原因和根本原因，
不追究主动报告人员的责任。一级、二级事件应当在恢复后5个工作日内形成书面总结报告，
报应急领导小组审定；整改措施应当明确责任人和完成时间，由信息中心跟踪落实，
逾期未完成的在月度例会上通报。本单位每年至少组织一次综合演练，每半年至少组织一
次专项演练，演练可以采用桌面推演或者实战方式，演练结束后评估预案的可操作性，
必要时修订预案。
"""),
    ],
    chinese=True,
)

PERMIT_ZH = Document(
    "建筑施工许可办理指南.pdf",
    [
        _zh("""
一、哪些工程需要办理施工许可。在本市行政区域内从事各类房屋建筑及其附属设施的建
造、装修装饰和与其配套的线路、管道、设备的安装，以及城镇市政基础设施工程的施工，
建设单位应当在开工前向工程所在地的住房和城乡建设主管部门申请领取施工许可证。
工程投资额在30万元以下或者建筑面积在300平方米以下的建筑工程，可以不申请办理施工
许可证。抢险救灾工程、临时性房屋建筑和农民自建低层住宅不适用本指南。
按照国务院规定的权限和程序批准开工报告的建筑工程，不再领取施工许可证。
必须申请领取施工许可证的工程，未取得许可的，一律不得开工。
"""),
        _zh("""
二、申请条件和所需材料。申请领取施工许可证，应当具备下列条件并提交相应材料：
依法应当办理用地批准手续的，已经取得不动产权证书或者用地批准文件；
已经取得建设工程规划许可证；施工场地已经基本具备施工条件，需要征收房屋的，
其进度符合施工要求；已经确定施工企业，提交中标通知书或者直接发包的证明；
有满足施工需要的技术资料，施工图设计文件已按规定审查合格；有保证工程质量和安全
的具体措施；建设资金已经落实，建设单位应当提供银行出具的到位资金证明。
以上材料均可通过工程建设项目审批管理系统在线提交，无需另交纸质复印件。
"""),
        _zh("""
三、办理流程和时限。申请人登录审批管理系统填报申请并上传材料，审批部门收到申请
后，当场或者在1个工作日内作出是否受理的决定；材料不齐全的，一次性告知需要补正的
全部内容。对符合条件的申请，审批部门应当自受理之日起5个工作日内颁发施工许可证；
对不符合条件的，应当在同一期限内书面说明理由。施工许可证实行电子证照，
与纸质证书具有同等效力，申请人可以在系统中自行下载打印。审批过程中需要现场核查
的，核查时间不计入办理时限，但最长不超过3个工作日。办理施工许可不收取任何费用。
"""),
        _zh("""
四、许可证的有效期、延期和中止施工。建设单位应当自领取施工许可证之日起3个月内开
工。因故不能按期开工的，应当在期满前向发证机关申请延期，并说明理由；
延期以两次为限，每次不超过3个月。既不开工又不申请延期，或者超过延期时限的，
施工许可证自行废止。在建工程因故中止施工的，建设单位应当自中止施工之日起1个月内
向发证机关报告，并做好建筑工程的维护管理工作。恢复施工时，应当向发证机关报告；
中止施工满一年的工程恢复施工前，建设单位应当报发证机关核验施工许可证。
"""),
        _zh("""
五、施工现场管理要求。施工单位应当在施工现场出入口的显著位置设置工程概况牌，
公示施工许可证编号以及建设单位、施工单位、监理单位和项目负责人等信息。
施工现场应当连续设置硬质围挡，位于城市主要路段的，围挡高度不得低于2.5米；
位于一般路段的，不得低于1.8米。现场主要道路和材料加工区应当硬化处理，
裸露土方应当覆盖，出入口设置车辆冲洗设施，运输渣土的车辆必须密闭，
严禁带泥上路。施工现场的办公区、生活区应当与作业区分开设置，宿舍不得设在在建工
程内。
"""),
        _zh("""
六、夜间施工和噪声控制。在城市市区噪声敏感建筑物集中区域内，每日22时至次日6时禁
止进行产生环境噪声污染的建筑施工作业，但抢修、抢险作业和因生产工艺要求必须连续
作业的除外。因特殊需要必须连续作业的，施工单位应当事先取得夜间施工证明，
并提前一天在施工现场周边显著位置公告附近居民。每年中考、高考期间，
考点周边500米范围内禁止夜间施工。施工单位应当选用低噪声设备，对打桩机、
混凝土输送泵等高噪声设备采取隔声措施。居民对施工噪声的投诉，可以拨打12345政务服
务热线。
"""),
        _zh("""
七、监督检查和法律责任。发证机关应当建立施工许可事中事后监管制度，
采取随机抽查的方式对施工现场进行检查。对于未取得施工许可证或者为规避办理施工许
可证将工程项目分解后擅自施工的，由有管辖权的部门责令停止施工，限期改正，
对建设单位处工程合同价款1%以上2%以下的罚款，对施工单位处3万元以下的罚款。
建设单位采用欺骗、贿赂等不正当手段取得施工许可证的，由原发证机关撤销施工许可证，
责令停止施工，并处1万元以上3万元以下的罚款。伪造或者涂改施工许可证的，
由发证机关责令停止施工，并处罚款；构成犯罪的，依法追究刑事责任。
"""),
    ],
    chinese=True,
)

GRANTS_ZH = Document(
    "科研经费管理办法.pdf",
    [
        _zh("""
第一章 总则。为规范学校科研经费管理，提高资金使用效益，根据国家有关规定，
结合学校实际，制定本办法。本办法适用于学校承担的纵向科研项目和横向科研项目经费。
学校科研经费实行「统一领导、分级管理、责任到人」的管理体制。科研处负责项目立项、
合同管理和过程管理；财务处负责经费核算、预算执行监督和财务决算；
资产处负责采购和资产管理。项目负责人是经费使用的直接责任人，对经费使用的合规性、
合理性和真实性承担第一责任，不得将项目转包或者分包给他人。各学院负责对本单位项
目经费的使用进行日常监督。
"""),
        _zh("""
第二章 预算编制与调剂。项目负责人应当按照目标相关性、政策相符性和经济合理性的原
则，根据研究任务的实际需要编制项目预算。直接费用包括设备费、业务费和劳务费三个
科目。设备费预算一般不予调增，确需调增的，须报项目主管部门批准；
设备费调减后的资金可以用于其他直接费用。业务费、劳务费预算如需调剂，
由项目负责人根据实施需要提出申请，经学院审核后报财务处办理，不再报主管部门审批。
间接费用预算不得调增，但可以调减用于直接费用。预算调剂应当在项目执行期内完成，
结题时不再受理。
"""),
        _zh("""
第三章 间接费用。间接费用是学校在组织实施项目过程中发生的、无法在直接费用中列支
的相关费用，主要用于补偿学校为项目提供的房屋占用、水电气暖消耗、
有关管理费用以及绩效支出等。间接费用按照直接费用扣除设备购置费后的一定比例核定：
500万元以下的部分不超过30%，500万元至1000万元的部分不超过25%，超过1000万元的部
分不超过20%。间接费用中的绩效支出不设比例限制，由项目负责人根据团队成员的实际贡
献提出分配方案，经学院审核后发放，并向一线科研人员倾斜。学校从间接费用中统筹的
管理费用应当公开透明。
"""),
        _zh("""
第四章 劳务费和专家咨询费。劳务费用于支付参与项目研究的研究生、博士后、
访问学者以及项目聘用的研究人员、科研辅助人员的劳务性费用，以及相应的社会保险补
助费用。劳务费不设比例限制，根据实际参与程度据实列支，通过银行转账发放，
原则上不得使用现金。专家咨询费用于支付临时聘请的咨询专家，不得支付给参与本项目
研究和管理的相关人员。以会议形式组织咨询的，高级专业技术职称人员每人每天不超过
2000元，其他专业人员每人每天不超过1500元；以通讯形式组织咨询的，
每人每次不超过800元。发放时须附专家签收单和咨询意见。
"""),
        _zh("""
第五章 差旅费、会议费和国际合作交流费。项目人员因开展调研、野外考察和参加学术会
议发生的城市间交通费、住宿费等，按照学校差旅费管理办法执行。因野外考察工作需要
在偏远地区租用车辆的，可以凭租车合同和票据据实列支。举办小型学术研讨会的，
应当事先编制会议计划，会议费实行综合定额控制，每人每天不超过550元，
会议结束后凭签到表、会议通知和费用明细办理报销。出国或者出境参加国际学术交流的，
须按照外事管理规定事先报批，费用从国际合作与交流费中列支，不得与其他公务活动混
合报销。
"""),
        _zh("""
第六章 仪器设备采购与资产管理。使用科研经费购置仪器设备，应当严格执行政府采购和
学校采购管理规定。单台（套）价格在20万元以上的仪器设备，购置前须进行可行性论证，
论证内容包括购置必要性、学校现有同类设备情况和共享方案；单价在100万元以上的，
还须报学校仪器设备论证专家组审议。属于政府采购目录以内或者达到采购限额标准的，
由资产处统一组织采购，不得化整为零规避采购。设备验收合格后应当及时办理固定资产
登记并粘贴资产标签。用科研经费购置的仪器设备属于学校国有资产，项目结束后不得带
离学校，并应当按规定纳入共享平台对外开放。
"""),
        _zh("""
第七章 结题验收与结余资金。项目执行期满后，项目负责人应当在3个月内清理账目，
办理财务结账手续，编制项目决算报表，不得在结题前突击花钱。项目需要延期的，
应当在执行期满前60天提出申请，延期原则上只能申请一次，最长不超过1年。
项目通过验收且承担单位信用评价好的，结余资金留归学校使用，统筹安排用于科研活动
的直接支出；未通过验收或者信用评价差的，结余资金按原渠道收回。对违规使用经费的，
学校视情节轻重采取暂停项目拨款、追回已拨资金、取消项目申报资格等措施。
"""),
    ],
    chinese=True,
)

DISTRICT_REPORT_ZH = Document(
    "区政府年度民生工作总结.pdf",
    [
        _zh("""
一、医疗卫生服务。本年度全区基层医疗卫生机构全部接入药品集中带量采购平台，
中选药品平均降价超过五成，群众用药负担明显减轻。区人民医院新建的静脉用药调配中
心投入使用，门诊药房引进自动发药机，患者取药的平均等候时间由原来的20分钟缩短到
8分钟左右。全区开展合理用药专项检查，共抽查处方3200张，对发现的问题逐一反馈医疗
机构整改。家庭医生签约服务覆盖常住人口的四成以上，慢性病患者可以在社区卫生服务
中心配到常用药品，不必再跑大医院。区疾控中心完成了全部疫苗冷链设备的更新。
"""),
        _zh("""
二、政务信息化建设。区政务云平台完成二期扩容，全区42个部门的业务系统已经全部迁
移上云，原有的分散机房陆续关停，每年可节约电费约80万元。全年组织网络安全检查两
轮，发现并整改弱口令、补丁未及时更新等隐患160余项。开展网络安全宣传周活动，
面向机关干部举办专题培训6场。全年政务网络运行总体平稳，仅在7月因光缆被施工挖断，
导致部分街道网络中断约3小时，经运营商抢修后恢复。明年将建设同城灾备系统，
进一步提升重要数据的安全保障能力，并推动更多事项实现「一网通办」。
"""),
        _zh("""
三、工程建设项目审批改革。全区深化工程建设项目审批制度改革，审批环节由原来的十
余个精简为四个，社会投资小型低风险项目实行「拿地即开工」。全年核发建筑工程施工
许可证286件，同比增长12%。推行「多图联审」和「联合验收」，企业只需在一个窗口提
交一套材料，审批结果统一在网上公开。加强建筑工地扬尘治理，组织住建、
城管、环保等部门对工地围挡、裸土覆盖、车辆冲洗等情况开展拉网式检查，
责令整改工地37个，对情节严重的4个工地予以通报。老旧小区改造完成56个，
惠及居民一万二千余户。
"""),
        _zh("""
四、科技创新扶持。全年安排区级科技创新专项资金8000万元，重点支持企业研发投入、
高新技术企业培育和产学研合作项目，新认定高新技术企业54家。与本地两所高校共建联
合实验室3个，资助青年科技人才项目40项，引进高层次人才团队5个。为加强专项资金监
管，区科技局委托第三方机构对已结题项目开展绩效评价，对评价结果较差的项目承担单
位，三年内不再安排区级资金。全区技术合同成交额突破30亿元，同比增长两成。
明年将设立科技成果转化基金，支持高校科研成果在本区落地。
"""),
    ],
    chinese=True,
)

DOCUMENTS: list[Document] = [
    PHARMACY_EN,
    INCIDENT_EN,
    PERMIT_EN,
    GRANTS_EN,
    COUNTY_BULLETIN_EN,
    PHARMACY_ZH,
    INCIDENT_ZH,
    PERMIT_ZH,
    GRANTS_ZH,
    DISTRICT_REPORT_ZH,
]
"""Every document of the held-out corpus, in upload order."""


def _asker(lang: Lang, kind: Kind) -> Callable[[str, Document, int], Question]:
    def ask(text: str, document: Document, page: int) -> Question:
        return Question(text, document.filename, page, lang, kind)

    return ask


_en_keyword = _asker("en", "keyword")
_en_paraphrase = _asker("en", "paraphrase")
_zh_keyword = _asker("zh", "keyword")
_zh_paraphrase = _asker("zh", "paraphrase")

QUESTIONS: list[Question] = [
    # English, keyword
    _en_keyword(
        "What temperature range must medicine refrigerators "
        "keep, and what is done after a temperature excursion?",
        PHARMACY_EN,
        2,
    ),
    _en_keyword(
        "How many signatures does each entry in the controlled drugs register need?", PHARMACY_EN, 3
    ),
    _en_keyword(
        "Which colour of bin lid is used for cytotoxic pharmaceutical waste?", PHARMACY_EN, 7
    ),
    _en_keyword(
        "How quickly must the primary on-call engineer acknowledge a SEV1 page?", INCIDENT_EN, 2
    ),
    _en_keyword(
        "What are the recovery point objective and "
        "recovery time objective of the primary database?",
        INCIDENT_EN,
        6,
    ),
    _en_keyword(
        "Within how many working days must the blameless post-incident review be held?",
        INCIDENT_EN,
        8,
    ),
    _en_keyword(
        "How is the building permit fee calculated, and what is the minimum fee?", PERMIT_EN, 3
    ),
    _en_keyword(
        "What are the minimum side lot line setback and "
        "the maximum building height in residential zones?",
        PERMIT_EN,
        5,
    ),
    _en_keyword("How many hours in advance must an inspection be booked?", PERMIT_EN, 6),
    _en_keyword(
        "How many working days before the funder's deadline "
        "must the complete proposal reach the Research Office?",
        GRANTS_EN,
        1,
    ),
    _en_keyword(
        "What indirect cost rate does the university "
        "charge, and what is excluded from the modified base?",
        GRANTS_EN,
        2,
    ),
    _en_keyword(
        "When is Human Research Ethics Committee "
        "approval needed, and when does the committee meet?",
        GRANTS_EN,
        4,
    ),
    # English, paraphrase
    _en_paraphrase(
        "A nurse handed out the wrong pills by mistake; by when does that have to be logged?",
        PHARMACY_EN,
        6,
    ),
    _en_paraphrase("Once a cancer drip has been mixed, how long is it good for?", PHARMACY_EN, 5),
    _en_paraphrase(
        "In the middle of the night, how fast should the standby drug specialist ring us back?",
        PHARMACY_EN,
        8,
    ),
    _en_paraphrase(
        "While everything is down, how often should we tell our users what is going on?",
        INCIDENT_EN,
        4,
    ),
    _en_paraphrase(
        "If attackers may have walked off with users' "
        "private details, how long do we have to tell the regulator?",
        INCIDENT_EN,
        5,
    ),
    _en_paraphrase(
        "Should the person in charge during a major outage get into the servers themselves?",
        INCIDENT_EN,
        3,
    ),
    _en_paraphrase(
        "Do I have to ask the council before putting up a little garden hut?", PERMIT_EN, 1
    ),
    _en_paraphrase(
        "If I get the go-ahead but don't begin the job for a long while, when does it run out?",
        PERMIT_EN,
        7,
    ),
    _en_paraphrase(
        "At the weekend, from when to when are the workmen next door allowed to make a racket?",
        PERMIT_EN,
        8,
    ),
    _en_paraphrase(
        "Can someone still working on their PhD be the lead on an outside award?", GRANTS_EN, 3
    ),
    _en_paraphrase(
        "Can the wine at our team's celebration dinner go on the research account?", GRANTS_EN, 5
    ),
    _en_paraphrase(
        "How many years must we hang on to experiment results after a paper comes out?",
        GRANTS_EN,
        8,
    ),
    # Chinese, keyword
    _zh_keyword("阴凉库的温度不能超过多少摄氏度？", PHARMACY_ZH, 2),
    _zh_keyword("使用麻醉药品注射剂后，空安瓿应当怎样回收？", PHARMACY_ZH, 3),
    _zh_keyword("新的和严重的药品不良反应应在多少日内报告？", PHARMACY_ZH, 6),
    _zh_keyword("发生一级事件后，值班负责人应在多长时间内电话报告应急领导小组？", INCIDENT_ZH, 2),
    _zh_keyword("主链路中断后切换到备用链路的时间不超过多少秒？", INCIDENT_ZH, 3),
    _zh_keyword("数据中心机房的温度和相对湿度应控制在什么范围？", INCIDENT_ZH, 6),
    _zh_keyword("工程投资额和建筑面积在多少以下可以不申请办理施工许可证？", PERMIT_ZH, 1),
    _zh_keyword("施工许可证延期以几次为限，每次不超过多长时间？", PERMIT_ZH, 4),
    _zh_keyword("未取得施工许可证擅自施工的，对建设单位处多少罚款？", PERMIT_ZH, 7),
    _zh_keyword("间接费用按什么比例核定，绩效支出有没有比例限制？", GRANTS_ZH, 3),
    _zh_keyword("以通讯形式组织咨询的，专家咨询费每人每次不超过多少元？", GRANTS_ZH, 4),
    _zh_keyword("单台价格在多少万元以上的仪器设备购置前须进行可行性论证？", GRANTS_ZH, 6),
    # Chinese, paraphrase
    _zh_paraphrase("快过期的药，送货来的时候还收不收？", PHARMACY_ZH, 1),
    _zh_paraphrase("平时去医院看病，医生一回最多能给开几天的药？", PHARMACY_ZH, 4),
    _zh_paraphrase("吊瓶里的药配好以后，最晚多久得送到病房？", PHARMACY_ZH, 5),
    _zh_paraphrase("系统里的资料多久存一次底，能留多少天？", INCIDENT_ZH, 4),
    _zh_paraphrase(
        "电脑里的文件被锁住了，对方要钱才给解开，这时候能不能直接断电？", INCIDENT_ZH, 5
    ),
    _zh_paraphrase("出了大故障，修好以后那份回顾材料最晚几天内要写完交上去？", INCIDENT_ZH, 7),
    _zh_paraphrase("材料都交齐了，大概多少天能把证拿到手？", PERMIT_ZH, 3),
    _zh_paraphrase("马路边上的工地，外面那圈挡板至少得多高？", PERMIT_ZH, 5),
    _zh_paraphrase("晚上十点以后，工地还能不能接着干活？", PERMIT_ZH, 6),
    _zh_paraphrase("课题的钱花得不合规矩，到底谁要担主要责任？", GRANTS_ZH, 1),
    _zh_paraphrase("买仪器的那部分钱批下来以后，还能往上加吗？", GRANTS_ZH, 2),
    _zh_paraphrase("课题做完了，最晚多长时间以内得把账理清楚？", GRANTS_ZH, 7),
]
"""Every held-out question, grouped by language and kind."""
