from django.urls import path

from cityops.agency import views

app_name = "agency"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("list/", views.inbox_list, name="inbox_list"),
    path("events/", views.events, name="events"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/take-up/", views.report_take_up, name="take_up"),
    path("reports/<int:pk>/return/", views.report_return, name="return"),
    path("reports/<int:pk>/note/", views.report_note, name="note"),
    path("reports/<int:pk>/extend/", views.report_extend, name="extend"),
    path("reports/<int:pk>/resolve/", views.report_resolve, name="resolve"),
]
