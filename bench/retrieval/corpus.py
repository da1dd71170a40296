"""The evaluation corpus: ten invented documents, English and Simplified Chinese.

Four English and four Chinese documents cover the same four subjects (a water treatment
plant, a solar farm, a travel and expense policy, a warehouse safety handbook), so each is a
distractor for the others. Two more files, one per language, sit on neighbouring subjects and
answer none of the questions. Every page keeps to one subject.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """One PDF: its upload filename, the text of each page, and whether it needs a CJK font."""

    filename: str
    pages: list[str]
    chinese: bool


def _en(text: str) -> str:
    return " ".join(text.split())


# The CJK font of the PDF fixtures has no Latin glyphs, so digits, Latin letters and ASCII
# punctuation in Chinese pages are set in their full-width forms, as Chinese typesetting
# often does; search folds them back (NFKC).
_FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}


def _zh(text: str) -> str:
    return "".join(line.strip() for line in text.splitlines()).translate(_FULL_WIDTH)


WATER_EN = Document(
    "riverside_water_treatment_manual.pdf",
    [
        _en("""
Section 1. Raw Water Intake and Screening. The Riverside plant draws raw water from the
Alder River through two submerged intake cribs located 40 metres from the east bank. Water
first passes coarse bar screens with 25 mm clear spacing, then travelling band screens with
6 mm mesh that protect the low-lift pumps. Four low-lift pumps are installed, three on duty
and one on standby, each rated at 450 L/s. Operators record the head difference across the
band screens at every shift; when it exceeds 150 mm the screens are set to continuous wash
and the debris skip is checked. Raw water quality varies strongly with the season. Turbidity
is normally between 3 and 40 NTU but can climb to 300 NTU within hours of a major storm in
the upper catchment, and spring snowmelt brings high colour and low alkalinity. The raw
water analyser panel reports temperature, pH, turbidity and conductivity every minute, and
grab samples for alkalinity and algae counts are taken every four hours. During the invasive
mussel season, from June to September, a low dose of potassium permanganate is fed at the
intake to keep the pipes clear.
"""),
        _en("""
Section 2. Coagulation and Flocculation. Aluminium sulfate (alum) is the primary coagulant.
The alum dose normally ranges from 15 to 45 mg/L and is set each morning from a jar test run
on fresh raw water, and again whenever raw turbidity changes by more than 20 percent. The
jar test uses six beakers with doses stepped by 5 mg/L; the dose giving the lowest settled
turbidity after 20 minutes is chosen. Coagulation pH is held between 6.2 and 6.8, adjusted
with lime when alkalinity is low. Chemical is added at the rapid mix chamber, where the
water is mixed violently for 30 to 60 seconds. Flocculation then takes place in three
tapered stages, with paddle speeds giving velocity gradients of about 60, 40 and 20 per
second, and a total detention time of 25 to 30 minutes at design flow. A cationic polymer
flocculant aid may be added at 0.05 to 0.15 mg/L when cold water produces small, fragile
floc. Operators inspect the floc through the observation ports each shift; pin floc that
does not settle usually points to an underdosed or overdosed coagulant.
"""),
        _en("""
Section 3. Sedimentation and Filtration. Flocculated water flows into four plate settler
basins, where plates inclined at 55 degrees increase the effective settling area. Settled
water turbidity should stay below 2 NTU; a rising trend usually means the coagulant dose
needs review rather than a fault in the basins. Settled water then passes to eight dual
media gravity filters containing 600 mm of anthracite over 300 mm of fine sand. The normal
filtration rate is 8 to 12 m/h, and no filter may be run above 15 m/h even during peak
demand. Each filter has its own turbidimeter on the effluent pipe. Individual filter
effluent turbidity must remain below 0.15 NTU in 95 percent of readings; if any filter reads
above 0.3 NTU for 15 consecutive minutes it must be taken out of service and the shift
supervisor informed. A filter is also removed from service for washing when head loss
across the bed reaches 2.4 m or after 72 hours of operation, whichever comes first. Combined
filter effluent turbidity is reported to the regulator every month.
"""),
        _en("""
Section 4. Filter Backwash Procedure. Backwashing restores the capacity of a filter by
lifting and scrubbing the media. Before starting, confirm that the backwash supply tank
holds at least 600 cubic metres and that the waste washwater basin has room for the volume.
Close the influent valve and let the water level drain to 200 mm above the media surface.
Start the air scour blowers and apply air alone at 55 m/h for 3 to 5 minutes, watching for
media being carried over the troughs. Stop the air, then open the backwash water valve
slowly over one minute to avoid disturbing the gravel support layer, and wash at 45 m/h for
8 to 10 minutes until the waste washwater is clear, normally below 10 NTU. After the wash,
the filter returns to service in filter-to-waste mode for 10 to 20 minutes, until its
effluent turbidity falls below 0.1 NTU, and only then is the effluent valve to the
clearwell opened. Washwater is settled in the recovery basin and the clear supernatant is
returned to the head of the works at a steady rate.
"""),
        _en("""
Section 5. Disinfection and Chlorine Contact. Filtered water is disinfected with chlorine
gas drawn from 900 kg containers through vacuum regulators and injected at the inlet of the
chlorine contact tank. The contact tank is baffled to give a baffling factor of 0.7, and the
dose is set so that the CT value required for 4-log virus inactivation is always met at the
coldest expected water temperature. Free chlorine leaving the clearwell is normally held
between 1.0 and 1.5 mg/L; this higher level allows for decay across the distribution
network. Online analysers at the contact tank outlet and at the clearwell are verified
against a DPD bench test daily and calibrated weekly. The chlorine room has leak detectors
that sound an alarm at 1 ppm and start the scrubber at 3 ppm; at 3 ppm the room must also be
evacuated, and only staff wearing self-contained breathing apparatus may enter. Containers
are changed by two operators, one of whom stands outside the room with a radio. Empty
containers are tagged and stored upright until the supplier collects them.
"""),
        _en("""
Section 6. Distribution System Water Quality. Water quality is checked throughout the
network, not only at the plant. Sixty routine bacteriological samples are collected each
month from fixed sampling stations and from customer taps chosen on a rotating schedule. At
customer taps the free chlorine residual must stay between 0.2 and 0.5 mg/L, and pH must lie
in the range 6.5 to 8.5. A residual below 0.2 mg/L at any sampling point triggers
unidirectional flushing of the nearest hydrants until it recovers; dead-end mains in the
northern industrial estate are flushed every two weeks as a matter of routine. Any sample
positive for total coliforms requires three repeat samples, one at the same tap and one each
upstream and downstream, collected within 24 hours. If E. coli is confirmed, the duty
manager must notify the health authority the same day and prepare the boil water notice.
Storage reservoirs are inspected annually and their water age is kept below five days by
cycling levels. Customer complaints about taste, odour or discoloured water are logged and
investigated within two working days.
"""),
        _en("""
Section 7. Corrosion Control and Fluoridation. To protect household plumbing, finished water
leaving the plant is conditioned before it enters the network. Sodium hydroxide raises the
pH to between 7.4 and 7.8, which keeps the Langelier index close to zero and reduces the
dissolution of copper. Zinc orthophosphate is dosed at 1.0 to 1.5 mg/L as phosphate to form
a protective film inside old lead service lines. Fluoride is added as fluorosilicic acid to
a target of 0.7 mg/L; the operating range is 0.6 to 0.8 mg/L and the plant must never
exceed 1.5 mg/L. The fluoride feed pump is interlocked with the high-lift pump flow signal
so that chemical cannot be fed when no water is moving. Fluoride is measured by ion
selective electrode each shift and compared with the online analyser. Lead and copper
sampling is carried out at 50 homes with known lead service lines every three years, using
first-draw samples after at least six hours of stagnation. A result above the action level
of 10 micrograms per litre for lead leads to a review of the orthophosphate dose and to
letters to the affected customers.
"""),
        _en("""
Section 8. Sludge Handling and Residuals. Sludge from the settler hoppers is withdrawn on a
timer, usually for two minutes every hour, and pumped to two gravity thickeners. Thickened
sludge at 3 to 5 percent solids is conditioned with an anionic polymer and dewatered by two
decanter centrifuges. Dewatered cake should reach 22 to 28 percent dry solids; cake wetter
than 20 percent is rejected by the landfill and must be reprocessed. Centrifuge centrate and
thickener overflow are returned to the head of the plant, but the total recycled flow must
not exceed 10 percent of raw water flow, because recycled water can carry concentrated
organisms and metals back into treatment. Cake is stored in a covered bay and hauled to the
regional landfill twice a week. Every load is weighed and the ticket filed for the annual
residuals report. Operators check centrifuge bearing temperatures and vibration each shift
and grease the bearings weekly. Polymer make-up solution is mixed at 0.2 percent strength
and used within 24 hours of mixing.
"""),
    ],
    chinese=False,
)

SOLAR_EN = Document(
    "copper_ridge_solar_om_guide.pdf",
    [
        _en("""
1. Site Overview and Maintenance Calendar. Copper Ridge Solar Farm has an export capacity of
60 MW AC and covers 120 hectares of former grazing land. It contains about 148,000 bifacial
modules mounted on single-axis trackers, arranged in 2,400 strings that feed 18 inverter
stations of 3.3 MW each. Every inverter station includes a step-up transformer to 34.5 kV,
and the collection circuits join at the site substation. Preventive maintenance follows a
fixed calendar. Each month technicians walk every block looking for broken glass, loose
cables, animal damage and standing water. Every quarter a drone thermography survey covers
the whole array. Each year IV curve tracing is performed on a rotating 5 percent sample of
strings, the substation is de-energised for testing, and all tracker gearboxes are
inspected. Corrective work is raised in the maintenance management system with a priority
of 1 to 4; a priority 1 fault, meaning a loss of more than 1 MW, must have a technician on
site within four hours, day or night. Spare parts held on site include two complete
inverter power stacks, 300 modules and 20 tracker motors.
"""),
        _en("""
2. Module Cleaning. Dust, pollen and bird droppings reduce output, but cleaning costs money
and water, so it is carried out only when the data justify it. Two soiling stations compare
a cleaned reference module with a naturally soiled one; cleaning of the array is scheduled
when the soiling ratio falls below 0.95, in other words when soiling losses exceed 5
percent. Only demineralised water may be used, with conductivity below 10 microsiemens per
centimetre and total dissolved solids under 50 mg/L, because minerals leave spots that trap
more dirt. Water pressure at the nozzle must not exceed 6 bar, and only soft rotating
brushes approved by the module manufacturer are allowed; detergents, scrapers and pressure
lances are prohibited. Cleaning is done in the early morning or late evening, when the
glass is cool, to avoid thermal shock: the difference between module surface temperature
and water temperature should stay below 20 degrees C. Tracker rows are parked at maximum
tilt during cleaning so that the brush vehicle can reach the lower edge. Each cleaning
campaign is logged together with the volume of water used.
"""),
        _en("""
3. Inverter Maintenance. The central inverters are the most failure-prone equipment on the
site and receive the most attention. Air intake filters must be replaced every three
months, and every month during the dry season from July to October, when dust levels are
high. Clogged filters raise internal temperatures and cause the inverter to derate. Cooling
fans are checked for noise and vibration at each filter change, and fan assemblies are
replaced after 40,000 operating hours. Once a year, with the inverter isolated on both the
AC and DC sides, technicians check the torque on DC busbar connections to 45 Nm, inspect
capacitors for swelling, and clean the power stacks with dry compressed air. Inverters
reduce their output automatically when the ambient temperature at the station exceeds 45
degrees C; frequent derating in summer should be reported to engineering. Fault codes are
exported from the SCADA system daily, and any code that repeats more than three times in a
week is escalated to the manufacturer. Firmware may only be updated with written approval
from the vendor and the grid operator.
"""),
        _en("""
4. Tracker System. The single-axis trackers follow the sun from east to west and use
backtracking in the early morning and late afternoon to avoid row-to-row shading. Each row
is driven by a slew gearbox and a 24 V motor powered by its own small module and battery.
The tracker control system protects the array from extreme weather. When the three-second
wind gust measured at any of the four site anemometers exceeds 18 m/s, all trackers move to
the stow position at 30 degrees, facing into the wind, and remain there until the gust speed
has stayed below 13 m/s for ten minutes. When hail is forecast, operators trigger hail stow
manually, which turns the modules to 60 degrees to reduce the impact energy. In heavy
snowfall the rows are turned to maximum tilt to shed snow. Gearboxes are relubricated every
two years with the grease specified by the manufacturer, and tracker controller batteries
are replaced every five years. Rows that do not reach stow within three minutes generate an
alarm and must be inspected before the next wind event.
"""),
        _en("""
5. Thermography and Electrical Testing. Quarterly drone surveys capture infrared images of
every module. Flights are made only when irradiance in the plane of the array is above 600
W/m2 and wind speed is low, so that hot spots stand out clearly. A module whose hot spot is
more than 10 K warmer than its neighbours is flagged for IV curve tracing; a difference of
more than 20 K, or any visible burn mark, means the module is replaced at the next visit.
Whole strings that appear warm usually indicate an open circuit or a blown string fuse.
Insulation resistance is measured on each string at 1000 V DC between the conductors and
earth; the minimum acceptable value is 40 megohms, and readings that have fallen by half
since the previous year are investigated even if they remain above the limit. String
currents are compared every week in the monitoring system, and any string producing more
than 5 percent less current than the average of its combiner box is added to the work list.
Test results are stored against the string identifier so that trends can be followed over
the years.
"""),
        _en("""
6. Vegetation and Grounds Management. Vegetation under and between the tracker rows is
controlled to prevent shading of the lower edge of the bifacial modules and to reduce fire
risk. Grass height is kept below 30 cm across the array. From April to October a flock of
sheep grazes the site under an agreement with a local farmer, at a stocking density of about
four sheep per hectare; the grazier moves the flock between fenced blocks every two weeks.
Cables must be kept in trays or buried so the animals cannot chew them. Outside the grazing
season, and inside the substation and inverter compounds, the grass is mown mechanically.
Herbicides may be used only on fence lines and gravel roads, and never within 10 metres of
drainage channels or of the creek on the western boundary. A firebreak of bare gravel 5
metres wide is maintained around the whole perimeter. Fences are inspected for damage and
for animals digging underneath. Drainage swales are cleared of silt after every major storm
to avoid erosion around the piles.
"""),
        _en("""
7. Electrical Safety and Lockout. A solar array cannot be switched off at the source: DC
conductors remain energised whenever light falls on the modules, including on cloudy days
and under floodlights. Every technician must treat DC cabling as live unless it has been
isolated and proven dead with an approved voltage tester. Before any work on an inverter,
combiner box or transformer, the lockout and tagout procedure is applied: isolate, lock with
a personal padlock, attach a tag, test for absence of voltage, and apply temporary earths
where required. Arc flash studies rate the combiner boxes at category 2, so arc-rated
clothing of at least 8 cal/cm2, a face shield and insulated gloves are required when they are
opened under load. Work on the 34.5 kV system requires a switching programme approved by
the control room and must always be done by two authorised persons. Nobody may work alone
inside the array. Radios are carried at all times, and each team confirms its location with
the control room every two hours. Outdoor work stops when lightning is detected within 15
km.
"""),
        _en("""
8. Performance Reporting. The operations team is accountable for both energy production and
equipment availability. The performance ratio, which compares measured energy with the
energy expected from measured irradiance, has a target of 82 percent on an annual basis.
Contractual availability must be at least 99 percent, calculated each month with grid
curtailment and force majeure hours excluded. Revenue meters at the substation are class
0.2S and are read remotely every 15 minutes. The weather station records plane-of-array
irradiance with two pyranometers that are cleaned weekly and recalibrated every two years. A
monthly performance report is submitted to the asset owner by the tenth business day of the
following month. It lists energy exported, performance ratio, availability, lost energy by
cause, open work orders and safety incidents. Any month in which the performance ratio falls
more than 3 percentage points below budget requires a written root cause analysis.
Curtailment instructions from the grid operator are logged with their start time, end time
and the setpoint received.
"""),
    ],
    chinese=False,
)

TRAVEL_EN = Document(
    "travel_and_expense_policy.pdf",
    [
        _en("""
1. Scope and Trip Approval. This policy applies to all employees and contractors of
Northwind Engineering who travel on company business. Every trip must be requested in the
travel portal and approved before any booking is made. Domestic trips must be requested at
least 14 days before departure and international trips at least 21 days before departure,
so that fares stay low and visas can be arranged. The employee's line manager approves trips
with an estimated cost below 5,000 USD; trips above that amount, and all trips to countries
with a high security rating, also require approval from the division director. Urgent trips
requested with less notice are allowed when a client emergency or a site incident makes
them necessary, but the reason must be stated in the request. Employees should consider a
video call before requesting a trip, especially for internal meetings. The travel portal
checks each request against the approved budget of the project code it is charged to.
Bookings made outside the portal are not covered by the company's travel insurance and may
not be reimbursed.
"""),
        _en("""
2. Air Travel. All flights are booked through the company's travel agency via the portal.
Employees should select the lowest logical fare, meaning the cheapest available fare on a
reasonable route that departs within two hours of the preferred time and has no more than
one connection. Economy class is the standard for all flights with a scheduled duration
under 6 hours. For flights of 6 to 10 hours, premium economy may be booked. Business class
is allowed only on flights scheduled for more than 10 hours, and only with the written
approval of a vice president. The cost of one checked bag is reimbursed, and extra bags only
when carrying project equipment. Seat selection fees of up to 40 USD per flight are
accepted. Frequent flyer points and airline status remain with the employee, but loyalty
programmes must never influence the choice of airline or fare. Changes and cancellations
made for personal reasons are paid by the employee. Unused tickets must be reported to the
travel desk so that the credit can be applied to a later trip.
"""),
        _en("""
3. Lodging. Employees should stay in one of the company's preferred hotels where available,
as these rates include breakfast and free cancellation until 6 pm on the day of arrival. The
nightly room rate, excluding taxes, may not exceed 180 USD in standard cities. In high-cost
cities, currently New York, San Francisco, London, Zurich, Tokyo and Singapore, the cap is
260 USD per night. When a major event raises prices, the travel desk may approve a higher
rate in advance. For assignments longer than 14 consecutive nights in one place, employees
must ask the travel desk to arrange a serviced apartment, which is usually cheaper. Room
upgrades, minibar charges, in-room films, spa services, and laundry for stays shorter than
five nights are personal expenses. Staying with friends or family instead of in a hotel is
encouraged, and the employee may claim a gift of up to 50 USD for the host per trip. Hotel
no-show charges are reimbursed only when the employee could not cancel for reasons outside
their control.
"""),
        _en("""
4. Meals and Per Diem. For domestic travel, employees receive a daily meal allowance of 65
USD to cover breakfast, lunch, dinner and snacks. When breakfast is included in the hotel
rate, the allowance is reduced by 15 USD; when a meal is provided by a conference or by a
client, the corresponding part of the allowance is not claimed. On the day of departure and
the day of return, 75 percent of the allowance applies. For international travel, the per
diem table published by finance each January lists rates by country and city; the rate in
force on the first day of the trip applies to the whole trip. Receipts are not required for
meals covered by the allowance. Alcohol is reimbursed only as part of approved client
entertainment, and the most senior employee present must pay and claim the bill. Tips for
meals are accepted up to 20 percent of the bill. Meals with colleagues at the home location
are not travel expenses and are covered by the team budget instead.
"""),
        _en("""
5. Ground Transportation and Mileage. Public transport, airport trains and shuttle buses
should be used where practical. Taxis and ride-hailing services are reimbursed for journeys
to and from airports and stations, between meetings, and whenever public transport is unsafe
or unavailable late at night. Rental cars must be of intermediate size or smaller unless
four or more employees travel together. In the United States, employees must decline the
rental company's collision damage waiver, because the corporate insurance policy covers
rental vehicles; abroad, the waiver should be accepted. Fuel for rental cars is reimbursed,
but prepaid fuel options are not. Employees who use their personal car for business are
reimbursed at 0.67 USD per mile, which covers fuel, insurance and wear. The normal distance
between home and office is deducted from every mileage claim. Parking at airports is
reimbursed at the long-term lot rate. Traffic and parking fines are never reimbursed.
Driving should not exceed eight hours in a single day; longer journeys require an overnight
stop.
"""),
        _en("""
6. Expense Reports and Receipts. All travel expenses are claimed through an expense report
in the finance system. Employees must submit the report within 30 days of returning from
the trip. Itemised receipts are required for every expense of 25 USD or more, and for all
hotel bills regardless of amount; credit card slips showing only a total are not accepted as
receipts. Photographs of receipts taken with the mobile app are sufficient, and the paper
originals need not be kept. When a receipt is lost, the employee may complete a missing
receipt declaration, but no more than twice in a calendar year. Each line of the report must
show the project code and the business purpose. The approving manager checks that the
expenses are reasonable and that the policy limits are respected. Reports submitted more
than 60 days after the trip require approval from the chief financial officer, and
reimbursements paid that late may be treated as taxable income. Approved reports are paid
with the next payroll run.
"""),
        _en("""
7. Corporate Card. Employees who travel more than twice a year are issued a corporate card
after three months of service. The card is in the employee's name, but the balance is paid
directly by the company, so it must be used only for business expenses; any personal
purchase, even if repaid immediately, is a breach of this policy. Cash withdrawals with the
card are limited to 300 USD per trip and are intended for places where cards are not
accepted. Cardholders must reconcile their card transactions in the finance system by the
fifth day of each month, attaching each transaction to an expense report. Transactions not
reconciled within 60 days are deducted from salary after notice. If a card is lost or
stolen, the holder must call the card issuer's emergency number and inform the finance
department within 24 hours; the company is not liable for charges made after a late report.
Cards are cancelled when an employee leaves the company or moves to a role without travel.
Annual card fees are paid by the company.
"""),
        _en("""
8. Non-Reimbursable Items and Compliance. The following are never reimbursed: traffic and
parking fines; personal entertainment such as films, sports events and gym fees; clothing
and toiletries, except when luggage is delayed by more than 24 hours, in which case
essentials up to 100 USD may be claimed; travel costs of spouses, partners or children;
passport renewals; and losses of personal property. Travel arranged mainly for personal
reasons, with only a short business meeting added, is not a company expense. Finance audits
a random sample of 10 percent of expense reports each quarter, as well as every report above
10,000 USD. Employees whose reports are selected must provide any additional documentation
within five working days. Deliberately false claims, including inflated amounts, duplicated
receipts and invented trips, are treated as fraud and lead to disciplinary action up to
dismissal. Repeated careless errors may lead to the withdrawal of the corporate card.
Questions about this policy should be directed to the travel desk before the trip, not
after it.
"""),
    ],
    chinese=False,
)

WAREHOUSE_EN = Document(
    "warehouse_safety_handbook.pdf",
    [
        _en("""
Chapter 1. Forklift Operation. Only employees who hold a current forklift certificate issued
by the site training team may operate a forklift, reach truck or order picker. Certificates
are renewed every three years through a practical assessment, and sooner after any incident.
Before each shift the operator completes the pre-use checklist on the truck terminal,
covering brakes, steering, horn, lights, mast chains, hydraulic leaks, tyres and the seat
belt; a truck that fails any item is tagged out of service. The speed limit is 8 km/h in
aisles and 5 km/h in zones marked for pedestrians, and operators must sound the horn at
intersections and blind corners. Loads are carried with the forks tilted back and as low as
possible, about 15 cm above the floor, and never above the rated capacity shown on the data
plate. When leaving the truck, the operator lowers the forks to the floor, applies the
parking brake and removes the key. Passengers are not allowed on any forklift. Pedestrians
keep at least 3 metres from a working truck and make eye contact with the driver before
crossing its path.
"""),
        _en("""
Chapter 2. Racking and Storage. All pallet racking carries a load notice showing the maximum
load per beam level and per bay; the standard positions are rated at 1,000 kg per pallet.
Heavier pallets are stored only at floor level. Racking is inspected visually every week by
the zone team leader and once a year by an external racking inspector. Damage is classified
with a traffic light system. Green means minor damage that is recorded and monitored. Amber
means damage that must be repaired within four weeks, and the location may not be reloaded
once emptied. Red means serious damage: the bay is unloaded immediately and isolated with
barriers until it is repaired. Operators must report every rack strike, however small, to
the team leader. A clear space of at least 450 mm must be kept below sprinkler heads, and
stock may not overhang the beam by more than 100 mm. Damaged pallets are removed from
circulation. Flue spaces between back-to-back racks are kept open so that smoke and heat can
rise to the sprinklers.
"""),
        _en("""
Chapter 3. Manual Handling. Most injuries in the distribution centre are strains and sprains
from lifting and carrying. Before lifting, employees should assess the load, plan the route
and clear any obstacles. Nobody may lift more than 23 kg alone. Loads between 23 and 40 kg
require a two-person team lift, and anything heavier must be moved with a pallet truck,
hoist or vacuum lifter. Items that are awkward in shape, even if light, should also be
handled by two people. The correct technique is to stand close to the load with feet apart,
bend the knees, keep the back straight, grip firmly and lift smoothly without twisting.
Picking stations are set at a working height between knee and shoulder wherever possible.
Pickers rotate between tasks every two hours to reduce repetitive strain, and two short
stretching breaks are included in every shift. An employee who feels pain during handling
must stop and tell the team leader, so that the task can be changed before a serious injury
develops. Manual handling training is refreshed every year.
"""),
        _en("""
Chapter 4. Battery Charging and Chemical Storage. Lead-acid batteries for the forklift fleet
are charged only in the designated charging room, which has forced ventilation to disperse
the hydrogen released during charging. Smoking, open flames and spark-producing tools are
forbidden within 15 metres of the charging area. Operators wear a face shield, an apron and
acid-resistant gloves when topping up batteries with distilled water, which is done only
after a full charge. An emergency eyewash and shower must be reachable within 10 seconds
from any charging point and is tested weekly. Spilt electrolyte is neutralised with the
spill kit kept at the entrance. Chemicals held as stock, such as pool chlorine tablets, drain
cleaners and solvents, are stored in the caged chemical area according to their
compatibility groups: oxidisers such as chlorine products must be kept at least 5 metres
from acids and flammable liquids, or separated by a fire wall. A safety data sheet for each
product is filed in the binder at the cage door. Leaking containers are placed in overpack
drums and reported to the supervisor.
"""),
        _en("""
Chapter 5. Fire Safety and Evacuation. Fire extinguishers are positioned so that no one has
to travel more than 23 metres to reach one, and each is checked monthly by the safety
wardens. Sprinkler control valves are locked open and inspected weekly. Main aisles leading
to fire exits must be kept clear to a width of at least 1.2 metres, and no stock, pallets or
waste may be placed in front of fire doors, hose reels or electrical panels, even for a
moment. Cardboard and shrink wrap are taken to the baler at least twice per shift. When the
fire alarm sounds, all staff stop work, leave equipment safely, switch off trucks and walk to
the nearest exit without collecting belongings. The assembly point is in car park B, beside
the main gate, where wardens take a roll call using the visitor book and the shift
attendance list. Nobody re-enters the building until the fire service or the site manager
gives the all-clear. Full evacuation drills are held twice a year, one of them on the night
shift. Hot work such as welding requires a permit from the maintenance manager.
"""),
        _en("""
Chapter 6. Loading Dock Safety. Falls from the dock edge and trailers moving away from the
dock during loading are the most serious risks in this area. Before a trailer is loaded or
unloaded, the driver must switch off the engine, hand the keys to the dock office and stay in
the drivers' lounge. The dock operative then engages the vehicle restraint, or places wheel
chocks at both rear wheels on bays without restraints, and checks that the green signal
light is on before opening the dock door. The dock leveller lip must rest at least 10 cm
onto the trailer bed. Before a forklift enters a trailer, the operative checks the trailer
floor for holes and confirms that trailer stands are fitted under the nose of any trailer
not attached to a tractor unit. Dock doors are kept closed whenever no trailer is present.
Nobody may jump from the dock to the ground; steps are provided at each end. Vehicles in the
yard are limited to 10 km/h, and high-visibility vests must be worn everywhere outside the
building.
"""),
        _en("""
Chapter 7. Working in Heat and Cold. The frozen store is kept at minus 25 degrees C and the
chilled store at 2 to 5 degrees C. Employees working in the frozen store wear the insulated
suit, gloves and hood issued by the site, and may stay inside for a maximum of 45 minutes at
a time, followed by a warm-up break of at least 15 minutes in the heated rest room. A buddy
system applies in the freezer: two people always work within sight of each other, and the
door release button on the inside is tested at the start of each shift. In summer the
ambient part of the warehouse can become very hot under the roof. When the indoor
temperature rises above 30 degrees C, supervisors provide cool drinking water in every zone,
encourage everyone to drink a cup every 20 minutes, and allow extra rest breaks in the
shade. Signs of heat exhaustion, such as dizziness, heavy sweating and nausea, must be
reported at once. Employees returning from long leave are given a lighter workload in their
first week so they can adjust.
"""),
        _en("""
Chapter 8. Incidents and Near Misses. Every injury, however minor, and every near miss must
be reported to a team leader before the end of the shift in which it happened. Reports are
entered in the incident system with the time, place, people involved, a description and
photographs where possible. First aiders are on duty in every shift; their names are
displayed on the notice board beside the canteen, and first aid kits are checked monthly.
The safety coordinator starts an investigation within 48 hours for every injury that needs
medical treatment, every forklift collision and every near miss rated high potential. The
investigation identifies root causes and actions, each with an owner and a due date, and the
findings are shared at the next shift briefing. Injuries that cause an employee to miss work
are reported to the insurer and, where required, to the labour inspectorate. The site
safety committee, with equal numbers of managers and employee representatives, meets
monthly to review incidents, inspection results and open actions. Near miss reporting is
encouraged and never leads to blame.
"""),
    ],
    chinese=False,
)

UTILITY_REPORT_EN = Document(
    "harbour_city_utilities_annual_report.pdf",
    [
        _en("""
Wastewater Services. Harbour City Utilities operates two wastewater treatment works that
together treated 41 million cubic metres of sewage during the year, about 4 percent more
than the year before because of the wet winter. Final effluent from both works averaged 8
mg/L of biochemical oxygen demand and 12 mg/L of suspended solids, well inside the discharge
permits. In March the Southside works completed the switch from chlorination to ultraviolet
disinfection of its effluent, which removed the need to store chlorine on site and to dose
sodium bisulfite before discharge to the estuary. Anaerobic digesters at the Northside works
produced enough biogas to generate 4.1 GWh of electricity, covering 38 percent of that site's
demand. Two storm overflows operated for a total of 96 hours during the February floods, and
the utility has started the design of a storage tunnel to reduce such spills. Pipe
rehabilitation continued with 14 kilometres of sewer relined, mostly clay pipes laid before
1950 in the old harbour district.
"""),
        _en("""
Renewable Energy at Our Sites. The utility now owns 2.4 MW of rooftop solar on its depots
and workshops and a ground-mounted array of 5 MW beside the Greenhill reservoir, which
together produced 8.3 GWh in the year. Generation at the reservoir array was 6 percent below
forecast, mainly because one of its central inverters was out of service for seven weeks
while a replacement power module was shipped from overseas; a spare module is now held in
stock. The roof systems performed close to forecast. A battery of 2 MWh was commissioned at
the main pumping station so that pumps can run on stored solar energy in the evening peak,
when electricity prices are highest. Over the next three years the utility plans to add
floating solar panels on two raw water storage lagoons, subject to a study of their effect
on algae growth and water temperature. Together these projects support the target of
sourcing 60 percent of the utility's electricity from its own renewable generation by 2030.
"""),
        _en("""
Fleet and Business Travel. Emissions from staff business travel fell by 18 percent compared
with the previous year, as more meetings with contractors and regulators moved to video
calls and as a new booking tool began to show the carbon footprint of each option next to
its price. Rail is now the default for journeys to the capital. The vehicle fleet of 312
vans, trucks and cars produced 2,900 tonnes of carbon dioxide, a reduction of 9 percent.
Sixty electric vans were delivered during the year, and charging points were installed at
all five depots; the remaining diesel vans will be replaced as their leases end. Telematics
units were fitted to the heavy vehicles to monitor idling and harsh braking, and the drivers
with the best scores were recognised at the annual awards. Staff who cycle to work can now
borrow an electric bicycle for a trial month, and 140 employees have joined the scheme so
far.
"""),
        _en("""
Health and Safety Performance. The lost time injury frequency rate was 1.8 per million hours
worked, down from 2.3, and no employee or contractor suffered a life-changing injury. The
most frequent causes of injury were slips and trips on site, followed by manual handling of
manhole covers and valve keys. A forklift collided with a racking upright at the central
stores depot in June; nobody was hurt, and the investigation led to new floor markings and
a refresher course for all drivers at the depot. Confined space entry remains the highest
risk activity, and every crew now carries a four-gas monitor that is bump tested daily. A
heat stress programme was introduced for field crews during the summer heatwave, with
earlier start times and more frequent breaks. Safety leadership training was completed by
all 85 supervisors. Next year the focus will be on contractor management and on better
reporting of near misses by field teams.
"""),
    ],
    chinese=False,
)

WATER_ZH = Document(
    "城市供水厂运行手册.pdf",
    [
        _zh("""
第一章 取水与预处理。本厂原水取自东江，取水口设在江心，
经两根直径1.4米的原水管输送至取水泵房。泵房设粗格栅和旋转滤网，
格栅间隙20毫米，滤网孔径5毫米，运行人员每两小时巡查一次，
前后水位差超过0.3米时必须启动冲洗。原水浊度一般在10至60 NTU之间，
汛期可超过500 NTU。每年5月至9月藻类容易大量繁殖，
当藻类总数超过每升1000万个或出现明显土霉味时，
应在取水口投加粉末活性炭，投加量为10至30 mg/L，
并在配水井前投加高锰酸钾进行预氧化，投加量一般不超过1.0 mg/L。
高锰酸钾过量会使出厂水发红，因此投加后必须在沉淀池出口检测锰含量。
原水在线仪表包括浊度、pH、溶解氧、氨氮和水温，
数据每五分钟上传一次中控系统。
"""),
        _zh("""
第二章 混凝与沉淀。本厂采用聚合氯化铝作为混凝剂，
常规投加量为8至25 mg/L，具体投加量以烧杯试验结果为准。
烧杯试验每班至少做一次，原水浊度变化超过30%时应立即加做。
试验取六个烧杯，按每级5 mg/L递增投药，快速搅拌1分钟，
慢速搅拌15分钟，静置20分钟后测上清液浊度，
取浊度最低且用药最省的投加量。
低温低浊季节可辅助投加聚丙烯酰胺，投加量0.02至0.05 mg/L。
絮凝池分三段，总停留时间约20分钟，运行人员应每班观察矾花大小。
平流沉淀池出水浊度应控制在1.0 NTU以下，超过3 NTU时应检查投药系统。
沉淀池排泥采用桁车吸泥机，每四小时排泥一次，
排泥水送至排泥池处理。
"""),
        _zh("""
第三章 过滤与反冲洗。沉淀后的水进入十二格V型滤池。
滤料为均质石英砂，厚度1.2米，正常滤速为每小时7至9米，
滤后水浊度必须小于0.3 NTU。单格滤池运行满36至48小时，
或水头损失达到2.0米，或出水浊度上升到0.5 NTU时，应安排反冲洗。
反冲洗采用气水联合方式：先单独气冲2分钟，
气冲强度为每平方米每秒15升；再气水同时冲洗4分钟；
最后单独水冲5分钟，水冲强度为每平方米每秒4升，同时开启表面扫洗。
反冲洗期间必须有人在滤池边观察，发现跑砂应立即停止并报告。
冲洗结束后先排放初滤水10分钟，再恢复正常过滤。
每年对滤料厚度和含泥量检测一次，滤料损失超过10%时应补砂。
"""),
        _zh("""
第四章 消毒。本厂使用次氯酸钠溶液消毒，有效氯含量约10%，
由储罐经计量泵投加到清水池进水管。消毒剂与水的接触时间不得少于30分钟。
出厂水游离氯应控制在0.8至1.2 mg/L之间；按照国家标准，
出厂水游离氯不得低于0.3 mg/L，也不得高于2 mg/L。
次氯酸钠储存时间过长会分解，因此每批药剂的储存期不宜超过15天，
储罐应避光、通风。夏季水温高，余氯衰减快，可适当提高投加量。
在线余氯仪每天用便携式比色计校核一次，每周校准一次。
运行人员搬运或稀释药剂时应佩戴防护面罩和耐酸碱手套，
皮肤接触后应立即用大量清水冲洗。
加药间内严禁存放酸类物质，防止产生氯气。
"""),
        _zh("""
第五章 管网水质监测。出厂水进入管网以后，水质仍可能发生变化，
因此必须对管网进行持续监测。全市管网共设固定采样点86个，
按照每两万供水人口不少于一个的原则布置，并覆盖管网末梢和老旧小区。
管网末梢水的游离余氯不得低于0.05 mg/L，浑浊度不得超过1 NTU。
采样人员每周采集一次，检测余氯、浑浊度、色度、菌落总数和总大肠菌群。
当某一采样点余氯低于标准时，应对附近消火栓进行排放冲洗，直到余氯恢复；
管网末端死水段每月冲洗一次。如检出大肠埃希氏菌，
应在2小时内报告水质主管，并立即加密复检。
用户反映龙头出水发黄、有异味时，客服中心应在24小时内派人上门取样。
二次供水水箱由物业每半年清洗消毒一次。
"""),
        _zh("""
第六章 化验室管理。化验室负责全厂的水质检测和质量控制。
在线仪表每小时记录出厂水的浑浊度、余氯和pH；
化验员每日对原水、沉淀水、滤后水和出厂水进行九项常规指标检测；
每月对出厂水进行42项指标检测；
每半年委托有资质的外部机构做一次全部106项指标检测。
化验所用仪器须按计量要求定期检定，分光光度计和浊度仪每年检定一次。
检测完成的样品应在冷藏柜中留存7天，以备复核。
检测原始记录必须当场填写，不得事后补记，修改处须签名。
化验员发现指标异常时应立即复测，确认超标后10分钟内通知值班长。
化验室的试剂应分类存放，剧毒试剂由两人共同保管。
"""),
        _zh("""
第七章 突发事件应急处置。当水源发生突发污染时，例如上游发生油品泄漏，
取水口出现油膜或石油类物质超标，值班长应立即启动应急预案，
并在30分钟内向公司调度中心和市供水主管部门报告。
根据污染程度，可采取减少取水量、暂停取水、
加大粉末活性炭投加量等方法，同时在取水口外围设置围油栏和吸油毡。
停止取水期间依靠清水池储水维持供水，一般可保证约6小时的用水。
全厂采用双回路电源供电，当一路电源故障时应在5分钟内切换到另一路；
两路同时失电时，启动柴油发电机，保证消毒和关键泵组运行。
每年至少组织两次应急演练，演练结束后应形成书面总结。
"""),
    ],
    chinese=True,
)

SOLAR_ZH = Document(
    "光伏电站运维规程.pdf",
    [
        _zh("""
第一章 巡检制度。本电站装机容量100兆瓦，共安装单晶硅组件约18万块，
配置组串式逆变器320台和35千伏箱式变压器32台。
运维人员实行日常巡检、定期巡检和特殊巡检相结合的制度。
日常巡检每天一次，重点查看逆变器运行状态、箱变温度和声音、
围栏和道路情况；定期巡检每月一次，逐排检查组件有无破损、热斑和接线松动，
支架螺栓有无锈蚀；大风、暴雨、沙尘暴之后应进行特殊巡检。
巡检人员须携带巡检终端，按规定路线逐点打卡，
发现缺陷当天录入缺陷管理系统。一类缺陷须在4小时内处理，
二类缺陷在3天内处理，三类缺陷纳入月度检修计划。
"""),
        _zh("""
第二章 组件清洗。组件表面积灰会明显降低发电量。
电站设有两套积灰监测装置，当积灰造成的发电损失超过5%时安排清洗，
沙尘天气过后应及时评估。清洗时间应选在早晨、傍晚或阴天，
避免在正午高温时用冷水冲洗，以免组件玻璃因温差过大而破裂。
清洗用水应为中性，不含泥沙，硬度不宜过高，必要时使用软化水。
采用清洗车冲洗时，喷头水压不得超过0.4 MPa，
禁止使用硬质刷子和化学清洗剂，禁止踩踏组件。
冬季环境温度低于0摄氏度时不得用水清洗，可采用干式毛刷清扫。
每次清洗前后应记录同一组串的电流，用于评价清洗效果。
"""),
        _zh("""
第三章 逆变器维护。组串式逆变器安装在支架背面，运行环境较差，
维护工作主要包括以下内容。每月清理一次逆变器进风口滤网和散热风扇上的积灰，
春季沙尘较多时每两周清理一次。每季度检查交流和直流端子有无发热、变色，
必要时用红外测温仪测量，端子温度比环境温度高出30摄氏度以上时应停机紧固。
每年对逆变器的直流侧绝缘电阻进行一次测试。
逆变器出现告警时，运维人员应先在监控系统中查看告警代码，再到现场处理；
同一告警一周内重复出现三次以上的，应联系厂家技术支持。
更换逆变器或升级软件必须提前报电网调度批准。
"""),
        _zh("""
第四章 箱式变压器与集电线路。每台箱式变压器将逆变器输出的低压交流电
升压至35千伏，经集电线路送至升压站。
箱变运行中应重点监视油温、油位和声音。油面温度超过85摄氏度时发出报警，
超过95摄氏度时跳闸，运维人员接到报警后应在1小时内到场检查。
每年夏季高峰前对箱变绝缘油取样做色谱分析，乙炔含量异常时应缩短检测周期。
箱变内的熔断器、负荷开关每年检查一次。
集电线路电缆头每季度用红外测温仪检查，电缆沟每年汛期前清理积水和杂物。
箱变门必须上锁，门上悬挂「止步，高压危险」标示牌。
"""),
        _zh("""
第五章 防雷与接地。电站地处开阔地带，雷击风险较高，
防雷与接地系统必须保持完好。组件支架、逆变器外壳、
箱变和升压站设备均应可靠接地，接地电阻不应大于4欧姆。
每年雷雨季节来临之前，即每年4月底以前，应对全站接地电阻进行一次测量，
并对避雷器进行预防性试验。接地引下线如有锈蚀、断裂，应及时更换，
焊接部位要做防腐处理。雷雨天气时禁止进行户外巡检和倒闸操作，
人员应远离支架和避雷针。雷击发生后应检查浪涌保护器的状态指示窗，
指示变红的应立即更换。接地测量结果应存档，并与历年数据进行对比。
"""),
        _zh("""
第六章 安全工作规定。在电站内从事检修工作必须执行工作票制度，
工作票由工作负责人填写，经运维值班负责人签发后方可开始工作。
所有现场作业至少两人同行，严禁单人作业，其中一人负责监护。
光伏组件只要有光照就会产生电压，直流回路在白天始终带电，
作业前必须断开相应的汇流开关并验电。进行电气操作时应穿绝缘鞋、戴绝缘手套。
夏季地面温度可超过60摄氏度，户外作业应避开午后最热时段，
并配备防暑药品和饮用水。进入升压站必须戴安全帽。
发生人身触电时，应先切断电源再进行急救，并立即拨打急救电话。
"""),
        _zh("""
第七章 发电量统计与考核。电站实行发电量日统计、月考核、年总结。
运维值班人员每天零点后从监控系统导出上网电量、逆变器发电量和辐照量，
填入运行日报。月度运行报告应在每月5日前报送公司生产管理部，
内容包括发电量、系统效率、设备可利用率、损失电量分析和缺陷处理情况。
系统效率（PR）年度目标不低于80%，设备可利用率不低于99%。
因电网限电造成的损失电量单独统计，不计入考核。
当月系统效率比计划低3个百分点以上时，应编写专题分析报告，
说明原因和改进措施。
年度总结应在次年1月底前完成，并提出下一年度的发电量计划。
"""),
    ],
    chinese=True,
)

TRAVEL_ZH = Document(
    "员工差旅报销制度.pdf",
    [
        _zh("""
第一条 出差审批。员工因公出差，必须事先在OA系统中填写出差申请单，
写明出差事由、地点、天数和预算，经批准后方可出行。
国内出差应至少提前3个工作日提交申请，出境出差应至少提前15个工作日提交，
以便办理签证和预订机票。出差申请由部门负责人审批；
出差天数超过7天或预算超过2万元的，还须报分管副总经理审批。
因客户紧急需求来不及事先申请的，可先电话请示部门负责人，
返回后2个工作日内补办手续。未经批准擅自出差的，所发生的费用公司不予报销。
出差期间如需变更行程，应及时在系统中更新。
"""),
        _zh("""
第二条 交通工具标准。员工出差应优先选择经济、便捷的交通方式。
单程800公里以内原则上乘坐高铁。普通员工乘坐高铁可购买二等座，
部门经理及以上人员可购买一等座；乘坐夜间火车的，可购买硬卧，
连续乘车超过6小时的，部门经理及以上人员可购买软卧。
乘坐飞机一律购买经济舱，总监级以上人员飞行时间超过4小时的可申请公务舱。
机票应通过公司指定平台预订，尽量选择折扣票。
因个人原因改签或退票产生的费用由员工自行承担。
乘坐出租车前往机场、车站的费用可以凭票报销。
自驾私车出差须事先审批，按每公里0.8元给予补贴，过路费和停车费凭票报销。
"""),
        _zh("""
第三条 住宿标准。员工出差住宿按城市类别实行限额标准。
北京、上海、广州、深圳四个一线城市，每人每晚住宿费不超过550元；
省会城市和计划单列市不超过450元；其他城市不超过350元。
部门经理及以上人员可在上述标准基础上上浮20%。
两名同性别员工同行的，原则上安排合住一间标准间。
实际住宿费超过标准的部分由个人承担；低于标准的，不予补差。
住宿发票必须注明入住日期和离店日期，并附酒店水单。
在亲友家中住宿的，不报销住宿费，但可按每晚50元领取住宿补贴。
连续在同一城市住宿超过15天的，由行政部统一协商长住价格。
"""),
        _zh("""
第四条 伙食补助和市内交通补助。出差期间，员工按出差天数领取伙食补助
和市内交通补助，不需要提供发票。伙食补助标准为每人每天100元，
市内交通补助为每人每天80元。出差地接待单位或会议主办方统一安排用餐的，
相应天数不发放伙食补助；对方提供专车接送的，不发放市内交通补助。
出差天数按照离开工作地当天至返回当天计算，当天往返的按半天计算。
在外培训期间，培训机构已包含食宿的，按标准的50%发放伙食补助。
招待客户的餐费不属于伙食补助，应按业务招待费单独申请和报销。
"""),
        _zh("""
第五条 报销流程。员工应在出差结束后15个工作日内，
在财务系统中提交差旅费报销单。报销单须附上交通票据、住宿发票、
酒店水单和已批准的出差申请单。增值税电子发票须完整填写公司名称
和纳税人识别号，否则财务不予受理。报销单先由部门负责人审核业务真实性，
再由财务部审核票据合规性，财务部应在收到单据后5个工作日内完成审核，
审核通过后随当月工资或单独转账支付。
超过规定期限提交报销的，须说明原因并经分管副总经理批准；
超过3个月未报销的，视为自动放弃。
纸质票据应按类别粘贴在报销粘贴单上，不得折叠或涂改。
"""),
        _zh("""
第六条 差旅借款。出差时间较长或费用较多的员工，可在出发前申请差旅借款。
借款金额原则上不超过出差预算的80%，单次借款一般不超过2万元。
借款单需经部门负责人和财务经理审批，财务部通过银行转账支付到员工本人账户。
员工出差返回后，应在10日内办理报销冲账，多借的款项退回财务，
少借的部分在报销时补足。逾期未冲账的，财务部将发出催办通知；
超过30日仍未处理的，从当月工资中扣回。
前一笔借款未结清的，不得再次借款。
借款只能用于本次出差，不得挪作他用，也不得转借他人。
"""),
        _zh("""
第七条 违规处理。员工应如实报销差旅费用，严禁弄虚作假。
凡有下列行为之一的，均属违规：虚报出差天数、虚构行程；
使用虚假发票或与行程不符的单据；将私人消费混入差旅报销；同一费用重复报销。
对违规行为，公司将追回全部违规款项，并视情节给予通报批评、
扣减当年绩效奖金等处理；情节严重或使用虚假发票的，
公司有权解除劳动合同，涉嫌犯罪的移送司法机关。
部门负责人审核把关不严的，承担相应管理责任。
财务部每季度对报销单据进行抽查，抽查比例不低于10%。
员工发现他人违规报销的，可以向审计部实名举报，公司对举报人信息严格保密。
"""),
    ],
    chinese=True,
)

WAREHOUSE_ZH = Document(
    "仓库安全管理规定.pdf",
    [
        _zh("""
第一章 叉车作业。仓库叉车司机必须经过专业培训，
取得特种设备作业人员证后方可上岗，无证人员严禁驾驶。
每班作业前，司机应检查制动、转向、喇叭、灯光、货叉和液压系统，
发现故障立即报修，不得带病作业。叉车在库内行驶速度不得超过每小时5公里，
在厂区主干道不得超过每小时10公里，转弯、倒车和经过路口时必须鸣笛减速。
严禁叉车载人，严禁用货叉托举人员登高作业。
装载货物不得超过额定起重量，货物遮挡视线时应倒车行驶。
停车时货叉应落地，拉起手刹，并拔下钥匙。
叉车每年须由特种设备检验机构进行定期检验，检验合格后方可继续使用。
"""),
        _zh("""
第二章 货架与堆垛。仓库货架应标明每层的最大承重，严禁超载存放。
重物放在下层，轻物放在上层。货架每月由仓库班组长检查一次，
每年由专业机构全面检测一次，立柱变形或横梁开裂的货架必须立即卸货停用。
地面堆垛高度不得超过4米，并做到「五距」：垛距不小于1米，
墙距不小于0.5米，柱距不小于0.3米，灯距不小于0.5米，顶距不小于0.5米。
消防喷淋头下方0.5米范围内不得堆放物品。
堆垛应整齐牢固，不得倾斜，破损托盘应及时清出仓库。
货物入库时应按先进先出的原则摆放，便于周转和盘点。
"""),
        _zh("""
第三章 消防管理。仓库内严禁吸烟和使用明火，入口处应设置醒目的禁烟标志。
确需在库区进行电焊、切割等动火作业的，必须办理动火作业许可证，
清理周边可燃物，并安排专人监护和配备灭火器材。
仓库每层配备的灭火器不少于两具，由安全员每月检查一次压力和有效期。
库内主要通道宽度不小于2米，安全出口和疏散通道必须保持畅通，
严禁堆放货物或锁闭安全出口。消防控制室实行24小时值班。
每半年组织一次全员消防演练，员工应掌握「四懂四会」。
消防设施发生故障时应立即报修，修复前应采取临时防护措施。
"""),
        _zh("""
第四章 危险化学品储存。危险化学品必须存放在专用危险品库内，
按照性质分区、分类、分库储存，禁止与普通货物混存。
氧化剂（如次氯酸钠、漂白粉）与易燃液体、酸类物质必须隔开存放。
剧毒化学品实行「双人收发、双人保管、双把锁」管理，出入库数量应当日登记。
每种化学品都应配备安全技术说明书，容器上的标签必须完整清晰。
危险品库应保持通风、阴凉，温度超过30摄氏度时启动降温设施。
库内配备吸附棉、应急冲淋装置和防护用品。
发生泄漏时，应立即疏散无关人员，操作人员穿戴防护装备后再进行处理。
"""),
        _zh("""
第五章 装卸作业。货车进入月台前应听从装卸指挥人员的引导，倒车靠台速度要慢。
车辆停稳后，司机必须熄火、拉紧手刹，并将车钥匙交给月台管理员，
装卸人员在车轮后方放置轮挡，确认固定后方可开始装卸。
登车桥的搭板应搭在车厢底板上至少10厘米。
装卸人员必须戴安全帽、穿防砸鞋，严禁站在叉车货叉上或从月台跳下。
雨雪天气应在月台铺设防滑垫，及时清除积水积雪。
车辆驶离前，装卸人员应确认人员和设备已撤出车厢。
夜间装卸时月台照明必须充足，车厢内应使用移动照明灯。
"""),
        _zh("""
第六章 电气安全。仓库内的电气线路必须由持证电工安装和维修，
任何人不得私拉乱接电线，不得使用大功率电器。
库房内照明应采用冷光源灯具，灯具下方不得堆放可燃物品。
每天下班前，仓库管理员应检查并切断库房总电源，确认无误后再锁门离开。
叉车充电应在专用充电区进行，充电区与货物存放区保持不少于5米的距离，
充电时有人值守。配电箱前1米范围内不得堆放物品，配电箱应加锁。
电工每月对线路和插座进行一次检查，发现老化、破损及时更换。
临时用电必须向设备部门申请，使用完毕后立即拆除。
"""),
        _zh("""
第七章 事故报告与应急处置。仓库发生火灾、人员受伤、货物倒塌、
化学品泄漏等事故时，现场人员应立即报告班组长，
仓库主管须在1小时内报告公司安全管理部门，不得迟报、瞒报。
发生人员受伤时，应先组织急救，必要时拨打120。
事故现场应予以保护，因抢救需要移动物品的，应做好标记并拍照。
安全管理部门应在3日内组织事故调查，查明原因，明确责任，制定整改措施。
仓库每年至少修订一次应急预案，并组织一次综合应急演练。
未遂事件同样应当登记，每月在安全例会上通报。
事故调查报告应报公司分管领导审阅，并在全公司范围内通报。
"""),
    ],
    chinese=True,
)

WASTEWATER_REPORT_ZH = Document(
    "污水处理厂年度运行报告.pdf",
    [
        _zh("""
一、污水处理量与出水水质。本年度滨海污水处理厂累计处理污水3650万立方米，
日均处理量10万立方米，负荷率约为设计能力的83%。
进水化学需氧量年均为320 mg/L，氨氮为32 mg/L。
经过改良型生物脱氮除磷工艺处理后，出水化学需氧量年均为18 mg/L，
氨氮为0.6 mg/L，总磷为0.2 mg/L，各项指标稳定达到一级A排放标准。
为加强除磷效果，二沉池后投加聚合硫酸铁，全年药剂用量比上年下降12%。
出水采用紫外线消毒，全年粪大肠菌群达标率为100%。
雨季进水量大幅波动，厂内调蓄池共启用21次，未发生溢流。
全年进厂水量最高的一天出现在7月，达到14.6万立方米。
"""),
        _zh("""
二、污泥处理与处置。本年度共产生含水率80%的脱水污泥4.2万吨，
全部由密闭车辆运至市热电厂进行协同焚烧，转运联单齐全。
厂内浓缩池和板框压滤机运行正常，年内完成了两台压滤机滤布的整体更换。
为降低运输量，工程部正在论证低温干化项目，
计划将污泥含水率进一步降低到40%以下，预计两年内建成。
污泥中的重金属每季度委托第三方检测一次，结果均低于控制限值。
除臭系统对污泥间和格栅间实行全封闭收集，厂界臭气浓度全年达标，
周边居民投诉比上年减少一半。
污泥运输车辆均安装了定位系统，运输路线全程可追溯。
"""),
        _zh("""
三、节能降耗与新能源利用。本年度全厂吨水电耗为0.29千瓦时，比上年下降7%。
主要措施包括：对鼓风机实施变频改造，根据溶解氧浓度自动调节曝气量；
将厂区道路照明全部更换为节能灯具；对提升泵组进行优化调度。
厂区综合楼、加药间和生物池上方建成分布式光伏1.2兆瓦，
年发电量约140万千瓦时，全部自发自用，约占全厂用电量的6%。
光伏系统由专业公司托管运维，年内运行平稳，未发生设备故障。
明年计划在二沉池上方增设光伏板，并研究利用出水余热为办公楼供暖。
鼓风机房噪声治理工程同步完成，厂界噪声符合标准要求。
"""),
        _zh("""
四、安全生产与人员培训。本年度全厂未发生人身伤亡事故和重大设备事故。
有限空间作业是本厂风险最高的作业类型，全年共审批有限空间作业票86张，
每次作业均执行先通风、再检测、后作业的要求。
全年组织安全生产培训14次，参加人数共计620人次，
新入职员工全部完成三级安全教育。
化验室和加药间开展了危险化学品专项检查，整改隐患9项。
夏季高温期间调整了户外巡检时间，并向一线员工发放防暑用品。
下一年度将重点推进设备运行状态在线监测和安全风险分级管控。
全年组织应急演练4次，涵盖有限空间救援、危险化学品泄漏和全厂停电等场景。
"""),
    ],
    chinese=True,
)

DOCUMENTS: list[Document] = [
    WATER_EN,
    SOLAR_EN,
    TRAVEL_EN,
    WAREHOUSE_EN,
    UTILITY_REPORT_EN,
    WATER_ZH,
    SOLAR_ZH,
    TRAVEL_ZH,
    WAREHOUSE_ZH,
    WASTEWATER_REPORT_ZH,
]
"""Every document of the corpus, in upload order."""
